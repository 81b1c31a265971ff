package io.courier.client.cli;

import io.courier.client.ClientTls;
import io.courier.protocol.Fields;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code s2c}: one {@code courier.s2c} request through the TCP bridge. {@code qos}
 * and {@code fromUid} are null when not given, so the node's defaults apply.
 */
record S2cOptions(
    String toUid,
    int toAppcode,
    int msgtype,
    String text,
    Integer qos,
    String fromUid,
    String bridgeHost,
    int bridgePort,
    String secret,
    int timeoutSeconds,
    ClientTls tls) {
  static final String DEFAULT_BRIDGE_HOST = "127.0.0.1";
  static final int DEFAULT_BRIDGE_PORT = 7000;
  static final int DEFAULT_TIMEOUT_SECONDS = 10;

  /** The variable the node reads its bridge secret from: the same one serves both sides. */
  static final String SECRET_VARIABLE = "COURIER_BRIDGE_SECRET";

  static final Set<String> FLAGS = flags();

  static final String USAGE =
      """
      usage: courier-cli s2c --to UID --to-appcode APPCODE --text TEXT [--msgtype N] [--qos 0|1]
                             [--from UID] [--bridge-host HOST] [--bridge-port PORT] [--secret SECRET]
                             [--timeout SECONDS] [--tls] [--ca FILE]

      Pushes one message to a user as a business server does: a courier.s2c request through the
      node's TCP event-bus bridge. Prints the reply:
        code=0 msgid=ID status=pushed|stored|dropped

        --to UID               receiver
        --to-appcode APPCODE   receiver's app code
        --text TEXT            content, passed on as is
        --msgtype N            0-65535 (default 1)
        --qos 0|1              1 (default): stored until acknowledged; 0: pushed if online, never stored
        --from UID             sender shown to the receiver (default: none)
        --bridge-host HOST     bridge host (default 127.0.0.1)
        --bridge-port PORT     bridge port (default 7000)
        --secret SECRET        the node's bridge secret, when it has one (default: $COURIER_BRIDGE_SECRET)
        --timeout SECONDS      how long to wait for the reply, 1-600 (default 10)
        --tls                  connect to the bridge with TLS, trusting the JDK's certificate authorities
        --ca FILE              connect to the bridge with TLS, trusting the CA certificates of this PEM file

      Exit status: 0 code 0; 1 refused or failed (the reason on stderr); 2 bad usage.
      """;

  static S2cOptions from(Flags flags, Map<String, String> env) throws UsageException {
    String toUid = flags.uid("to");
    int toAppcode = flags.integer("to-appcode", 1, Fields.MAX_APPCODE);
    String text = flags.required("text");
    int msgtype = flags.integer("msgtype", 0, 65535, SendOptions.DEFAULT_MSGTYPE);
    Integer qos = flags.get("qos") == null ? null : flags.integer("qos", 0, 1);
    String fromUid = flags.get("from") == null ? null : flags.uid("from");
    String secret = flags.get("secret", env.get(SECRET_VARIABLE));
    return new S2cOptions(
        toUid,
        toAppcode,
        msgtype,
        text,
        qos,
        fromUid,
        flags.get("bridge-host", DEFAULT_BRIDGE_HOST),
        flags.integer("bridge-port", 1, 65535, DEFAULT_BRIDGE_PORT),
        secret == null || secret.isEmpty() ? null : secret,
        flags.integer("timeout", 1, 600, DEFAULT_TIMEOUT_SECONDS),
        TlsFlags.from(flags));
  }

  private static Set<String> flags() {
    Set<String> flags =
        new HashSet<>(
            Set.of(
                "to",
                "to-appcode",
                "msgtype",
                "text",
                "qos",
                "from",
                "bridge-host",
                "bridge-port",
                "secret",
                "timeout"));
    flags.addAll(TlsFlags.FLAGS);
    return Set.copyOf(flags);
  }
}
