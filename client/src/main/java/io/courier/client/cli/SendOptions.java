package io.courier.client.cli;

import io.courier.protocol.Fields;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The options of {@code send}: one C2C message, or one C2G message when {@code groupId} is set
 * ({@code toUid} null and {@code toAppcode} 0).
 */
record SendOptions(
    GateOptions gate,
    String toUid,
    int toAppcode,
    String groupId,
    int msgtype,
    String text,
    String cmid) {
  /** Longest cmid the protocol accepts. */
  static final int MAX_CMID = 64;

  static final int DEFAULT_MSGTYPE = 1;

  static final Set<String> FLAGS = flags();

  static final String USAGE =
      """
      usage: courier-cli send --uid UID --appcode APPCODE [--token TOKEN]
                              (--to UID --to-appcode APPCODE | --group GROUP_ID)
                              --text TEXT [--msgtype N] [--cmid CMID] [--host HOST] [--port PORT]
                              [--tls] [--ca FILE]

      Logs in, sends one C2C message to another user (or one C2G message to a group the user is a
      member of) and prints the answer:
        code=0 msgid=ID senddate=MILLIS
      Logging in replaces (KICK 4001) another connection of the same uid and app code.

      """
          + GateOptions.USAGE_LINES
          + """
        --to UID               receiver
        --to-appcode APPCODE   receiver's app code
        --group GROUP_ID       instead of --to and --to-appcode: the group (docs/groups.md)
        --text TEXT            content (Courier rich text: the node sanitizes it)
        --msgtype N            0-65535 (default 1)
        --cmid CMID            client message id, 1-64 chars (default: a new random one); sending
                               again with the same cmid returns the first message's msgid

      Exit status: 0 code 0; 1 login or send failed (the code and its meaning on stderr); 2 bad usage.
      """;

  static SendOptions from(Flags flags, Map<String, String> env, Supplier<String> newCmid)
      throws UsageException {
    GateOptions gate = GateOptions.from(flags, env);
    String groupId = null;
    String toUid = null;
    int toAppcode = 0;
    if (flags.get("group") != null) {
      if (flags.get("to") != null || flags.get("to-appcode") != null) {
        throw new UsageException("give --group or --to and --to-appcode, not both");
      }
      groupId = flags.uid("group");
    } else {
      toUid = flags.uid("to");
      toAppcode = flags.integer("to-appcode", 1, Fields.MAX_APPCODE);
    }
    String text = flags.required("text");
    int msgtype = flags.integer("msgtype", 0, 65535, DEFAULT_MSGTYPE);
    String cmid = flags.get("cmid");
    if (cmid == null) {
      cmid = newCmid.get();
    } else if (cmid.isEmpty() || cmid.length() > MAX_CMID) {
      throw new UsageException("--cmid must be 1-" + MAX_CMID + " characters");
    }
    return new SendOptions(gate, toUid, toAppcode, groupId, msgtype, text, cmid);
  }

  private static Set<String> flags() {
    Set<String> flags = new HashSet<>(GateOptions.FLAGS);
    flags.addAll(Set.of("to", "to-appcode", "group", "text", "msgtype", "cmid"));
    return Set.copyOf(flags);
  }
}
