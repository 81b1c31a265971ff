package io.courier.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * The commands of protocol v1 with their wire codes. A response uses {@code code | 0x8000}.
 *
 * <p>Codes are checked for duplicates when the class loads, so a typo cannot make two commands
 * share a wire value.
 */
public enum Command {
  LOGIN(0x0001, Direction.CLIENT),
  LOGOUT(0x0002, Direction.CLIENT),
  PING(0x0003, Direction.CLIENT),
  REFRESH(0x0004, Direction.CLIENT),
  /** Registers, changes or removes the session's device for offline push (docs/push.md). */
  PUSH_REGISTER(0x0005, Direction.CLIENT),
  C2S(0x0010, Direction.CLIENT),
  C2C(0x0011, Direction.CLIENT),
  /** A member's message to a group (docs/groups.md). */
  C2G(0x0012, Direction.CLIENT),
  PUSH(0x0020, Direction.SERVER),
  PULL(0x0030, Direction.CLIENT),
  OFFLINE_ACK(0x0031, Direction.CLIENT),
  HISTORY(0x0032, Direction.CLIENT),
  /** Marks a conversation read up to a msgid (docs/conversations.md). */
  READ(0x0033, Direction.CLIENT),
  /** The session user's conversations by last activity (docs/conversations.md). */
  CONVERSATIONS(0x0034, Direction.CLIENT),
  KICK(0x0040, Direction.SERVER),
  ERROR(0x00FF, Direction.SERVER);

  /** Bit set in the cmd of every response frame. */
  public static final int RESPONSE_BIT = 0x8000;

  /** Who sends the request frame of a command. */
  public enum Direction {
    CLIENT,
    SERVER
  }

  private static final Map<Integer, Command> BY_CODE = new HashMap<>();

  static {
    for (Command command : values()) {
      Command previous = BY_CODE.put(command.code, command);
      if (previous != null) {
        throw new ExceptionInInitializerError(
            "duplicate cmd code " + command.code + ": " + previous + ", " + command);
      }
    }
  }

  private final int code;
  private final Direction direction;

  Command(int code, Direction direction) {
    this.code = code;
    this.direction = direction;
  }

  /** The request's wire code. */
  public int code() {
    return code;
  }

  /** The wire code of this command's response (or, for PUSH, of the client's ack). */
  public int responseCode() {
    return code | RESPONSE_BIT;
  }

  public Direction direction() {
    return direction;
  }

  /**
   * The command whose request code is {@code code}, or null. Response codes are not looked up here.
   */
  public static Command fromCode(int code) {
    return BY_CODE.get(code);
  }
}
