package io.courier.bench;

/**
 * The attacks of {@code bench attack --kind}: what each does, and its defaults for {@code
 * --attackers} (attacking connections) and {@code --messages} (messages it sends; 0 for none).
 */
enum AttackKind {
  CONN_FLOOD(
      "conn-flood",
      "opens connections from ONE source address as fast as --concurrency allows, holding up to"
          + " --attackers of them open, never logging in",
      6_000,
      0),
  NEVER_LOGIN(
      "never-login",
      "opens --attackers connections spread over --per-source addresses, never logs in, and times"
          + " how long the node takes to close each",
      5_000,
      0),
  FRAME_FLOOD(
      "frame-flood",
      "--attackers logged-in connections pipeline PINGs with --window outstanding",
      1,
      0),
  PULL_FLOOD(
      "pull-flood",
      "puts --messages offline messages of --content-bytes for one user, then --attackers"
          + " connections of that user pipeline PULL {limit: 200} with --window outstanding",
      1,
      200),
  SLOW_READER(
      "slow-reader",
      "a logged-in connection stops reading while a business sends it --messages qos-0 pushes of"
          + " --content-bytes over the bridge",
      1,
      2_000),
  LOGIN_FLOOD(
      "login-flood",
      "--attackers connections from one address send LOGIN with bad tokens (a new uid each) one"
          + " after the other, reconnecting when closed",
      20,
      0),
  MSGTYPE_SPRAY(
      "msgtype-spray",
      "--attackers logged-in clients send C2C with --messages distinct msgtypes (0, 1, 2 ...) to an"
          + " online receiver that acknowledges every push",
      20,
      10_000);

  private final String optionValue;
  private final String description;
  private final int defaultAttackers;
  private final int defaultMessages;

  AttackKind(String optionValue, String description, int defaultAttackers, int defaultMessages) {
    this.optionValue = optionValue;
    this.description = description;
    this.defaultAttackers = defaultAttackers;
    this.defaultMessages = defaultMessages;
  }

  String optionValue() {
    return optionValue;
  }

  String description() {
    return description;
  }

  int defaultAttackers() {
    return defaultAttackers;
  }

  int defaultMessages() {
    return defaultMessages;
  }

  /**
   * @throws IllegalArgumentException naming the kinds, for an unknown value
   */
  static AttackKind of(String value) {
    for (AttackKind kind : values()) {
      if (kind.optionValue.equals(value)) {
        return kind;
      }
    }
    StringBuilder names = new StringBuilder();
    for (AttackKind kind : values()) {
      names.append(names.length() == 0 ? "" : ", ").append(kind.optionValue);
    }
    throw new IllegalArgumentException("unknown kind '" + value + "', expected one of " + names);
  }
}
