package io.courier.store;

import io.courier.message.Kind;
import io.courier.message.Message;

/**
 * The values of the embedded store ({@link RocksMessageStore}); their keys are {@link RocksKeys}.
 *
 * <pre>
 * message (offline, history) = format:1 · senddate:8 · text(kind) · text(from_uid) · from_appcode:4
 *                              · text(to_uid) · to_appcode:4 · msgtype:4 · text(logid) · content
 * dedup                      = msgid:8 · senddate:8
 * inbox                      = waiting:8 · floor:8
 * conversation               = read:8 · delivered:8
 * </pre>
 *
 * <p>The msgid of a message is the end of its key, not repeated in the value. {@code senddate}
 * comes first, at a fixed offset, because a removal needs it (to delete the row's expiry key)
 * without decoding the rest; {@code from_uid}, {@code from_appcode} and {@code logid} are what a
 * write compares to tell the same message from a conflict. The content is CESU-8 with a varint
 * length; the other texts are key texts of {@link RocksKeys}.
 */
final class RocksRows {
  private static final byte FORMAT = 1;

  private RocksRows() {}

  static byte[] message(Message message) {
    return new RocksKeys.Builder(64 + message.content().length())
        .raw(new byte[] {FORMAT})
        .number(message.senddate())
        .text(message.kind().wire())
        .text(message.fromUid())
        .integer(message.fromAppcode())
        .text(message.toUid())
        .integer(message.toAppcode())
        .integer(message.msgtype())
        .text(message.logid())
        .longText(message.content())
        .bytes();
  }

  /** The message stored under {@code key} (whose last 8 bytes are its msgid). */
  static Message message(byte[] key, byte[] value) {
    RocksKeys.Reader reader = reader(value);
    long senddate = reader.number();
    Kind kind = Kind.fromWire(reader.text());
    String fromUid = reader.text();
    int fromAppcode = reader.integer();
    String toUid = reader.text();
    int toAppcode = reader.integer();
    int msgtype = reader.integer();
    String logid = reader.text();
    String content = reader.longText();
    return new Message(
        RocksKeys.msgidOf(key),
        kind,
        fromUid,
        fromAppcode,
        toUid,
        toAppcode,
        msgtype,
        content,
        senddate,
        logid);
  }

  /**
   * The copy of the message stored under the offline key {@code key} for that key's inbox: a copy
   * for another terminal is told by its inbox (docs/conversations.md).
   */
  static Message offlineMessage(byte[] key, byte[] value) {
    RocksKeys.Reader inbox = new RocksKeys.Reader(key, 0);
    return message(key, value).at(inbox.text(), inbox.integer());
  }

  /**
   * The receiver and sender of the C2C message in the offline row {@code key} when that row is the
   * receiver's (not a sync copy), else null: whose delivered position its delivery moves.
   */
  static Route receivedC2c(byte[] key, byte[] value) {
    RocksKeys.Reader reader = reader(value);
    reader.number();
    if (!Kind.C2C.wire().equals(reader.text())) {
      return null;
    }
    String fromUid = reader.text();
    reader.integer();
    String toUid = reader.text();
    String inboxUid = new RocksKeys.Reader(key, 0).text();
    return inboxUid.equals(toUid) ? new Route(toUid, fromUid) : null;
  }

  /** A receiver of a C2C message and its sender. */
  record Route(String receiver, String sender) {}

  /** A conversation's row: the owner's read and delivered positions. */
  record Conversation(long read, long delivered) {
    static final Conversation EMPTY = new Conversation(0, 0);

    Conversation withRead(long upto) {
      return new Conversation(Math.max(read, upto), delivered);
    }

    Conversation withDelivered(long upto) {
      return new Conversation(read, Math.max(delivered, upto));
    }
  }

  static byte[] conversation(Conversation row) {
    return new RocksKeys.Builder(16).number(row.read()).number(row.delivered()).bytes();
  }

  static Conversation conversation(byte[] value) {
    return value == null
        ? Conversation.EMPTY
        : new Conversation(RocksKeys.number(value, 0), RocksKeys.number(value, 8));
  }

  static long senddate(byte[] value) {
    return RocksKeys.number(value, 1);
  }

  /** What tells the message in {@code value} from another one under the same key. */
  static Sender sender(byte[] value) {
    RocksKeys.Reader reader = reader(value);
    reader.number();
    reader.text();
    String fromUid = reader.text();
    int fromAppcode = reader.integer();
    reader.text();
    reader.integer();
    reader.integer();
    return new Sender(fromUid, fromAppcode, reader.text());
  }

  static byte[] dedup(long msgid, long senddate) {
    return new RocksKeys.Builder(16).number(msgid).number(senddate).bytes();
  }

  static MessageStore.Accepted duplicate(byte[] dedupValue) {
    return new MessageStore.Accepted(
        RocksKeys.number(dedupValue, 0), RocksKeys.number(dedupValue, 8), true);
  }

  static byte[] inbox(Inbox inbox) {
    return new RocksKeys.Builder(16).number(inbox.waiting()).number(inbox.floor()).bytes();
  }

  static Inbox inbox(byte[] value) {
    return value == null
        ? Inbox.EMPTY
        : new Inbox(RocksKeys.number(value, 0), RocksKeys.number(value, 8));
  }

  private static RocksKeys.Reader reader(byte[] value) {
    if (value[0] != FORMAT) {
      throw new IllegalStateException("unknown row format " + value[0] + " in the message store");
    }
    return new RocksKeys.Reader(value, 1);
  }

  /** The sender and logid of a stored message. */
  record Sender(String uid, int appcode, String logid) {
    static Sender of(Message message) {
      return new Sender(message.fromUid(), message.fromAppcode(), message.logid());
    }

    /**
     * Whether {@code other} is the same message: same sender and, unless {@code logidIgnored} (a
     * receiver's row of a C2C message, as in the SQL stores), the same logid.
     */
    boolean sameMessage(Sender other, boolean logidIgnored) {
      return uid.equals(other.uid)
          && appcode == other.appcode
          && (logidIgnored || logid.equals(other.logid));
    }

    @Override
    public String toString() {
      return "from \"" + uid + "\"/" + appcode + ", logid \"" + logid + "\"";
    }
  }

  /**
   * What the store keeps per receiver: the messages waiting (for the offline cap), and a floor
   * below which the receiver has no offline row, where the scans of OFFLINE_ACK {@code upto} start.
   * Removed rows stay as tombstones in the LSM tree until compaction; without the floor each
   * acknowledgement would walk again over the tombstones of all earlier ones.
   */
  record Inbox(long waiting, long floor) {
    static final Inbox EMPTY = new Inbox(0, Long.MIN_VALUE);

    Inbox added(long msgid) {
      return new Inbox(waiting + 1, Math.min(floor, msgid));
    }

    Inbox removed() {
      return new Inbox(waiting - 1, floor);
    }

    Inbox withFloor(long newFloor) {
      return new Inbox(waiting, newFloor);
    }
  }
}
