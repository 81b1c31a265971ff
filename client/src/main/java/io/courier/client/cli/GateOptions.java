package io.courier.client.cli;

import io.courier.client.ClientTls;
import io.courier.protocol.Fields;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where and as whom a command logs in to a gate: the options {@code listen} and {@code send} share.
 */
record GateOptions(String host, int port, String uid, int appcode, String token, ClientTls tls) {
  static final String DEFAULT_HOST = "127.0.0.1";
  static final int DEFAULT_PORT = 9000;

  /** Environment variable read when {@code --token} is absent. */
  static final String TOKEN_VARIABLE = "COURIER_TOKEN";

  static final Set<String> FLAGS = flags();

  static final String USAGE_LINES =
      """
        --uid UID              user id to log in as
        --appcode APPCODE      app code to log in with (1-65535)
        --token TOKEN          login token (default: $COURIER_TOKEN); for a development node:
                               java -jar server/target/courier.jar token --uid UID --appcode APPCODE
        --host HOST            gate host (default 127.0.0.1)
        --port PORT            gate port (default 9000)
      """
          + TlsFlags.USAGE_LINES;

  static GateOptions from(Flags flags, Map<String, String> env) throws UsageException {
    String uid = flags.uid("uid");
    int appcode = flags.integer("appcode", 1, Fields.MAX_APPCODE);
    String token = flags.get("token", env.get(TOKEN_VARIABLE));
    if (token == null || token.isEmpty()) {
      throw new UsageException(
          "--token (or " + TOKEN_VARIABLE + " in the environment) is required");
    }
    return new GateOptions(
        flags.get("host", DEFAULT_HOST),
        flags.integer("port", 1, 65535, DEFAULT_PORT),
        uid,
        appcode,
        token,
        TlsFlags.from(flags));
  }

  private static Set<String> flags() {
    Set<String> flags = new HashSet<>(Set.of("uid", "appcode", "token", "host", "port"));
    flags.addAll(TlsFlags.FLAGS);
    return Set.copyOf(flags);
  }

  /** {@code uid/appcode@host:port}, for status lines. */
  String describe() {
    return uid + "/" + appcode + " at " + host + ":" + port + (tls.enabled() ? " (TLS)" : "");
  }
}
