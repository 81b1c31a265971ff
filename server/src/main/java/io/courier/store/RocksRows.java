package io.courier.store;

import io.courier.message.Kind;
import io.courier.message.Message;

/**
 * The values of the embedded store ({@link RocksMessageStore}); their keys are {@link RocksKeys}.
 *
 * <pre>
 * message (offline, history,  = format:1 · senddate:8 · text(kind) · text(from_uid) · from_appcode:4
 *   group_timeline)            · text(to_uid) · to_appcode:4 · msgtype:4 · text(logid) · content
 *                              [· text(group_id): format 2, a group message]
 * dedup                      = msgid:8 · senddate:8
 * inbox                      = waiting:8 · floor:8
 * conversation               = read:8 · delivered:8
 * group                      = closed:1 · last_msgid:8 · added:8 · title
 * group_member               = appcode:4 · joined:8 · read:8 · order:8
 * </pre>
 *
 * <p>The msgid of a message is the end of its key, not repeated in the value. {@code senddate}
 * comes first, at a fixed offset, because a removal needs it (to delete the row's expiry key)
 * without decoding the rest; {@code from_uid}, {@code from_appcode} and {@code logid} are what a
 * write compares to tell the same message from a conflict. The content is CESU-8 with a varint
 * length; the other texts are key texts of {@link RocksKeys}.
 *
 * <p>A group message is format 2: format 1 and its group id, so rows written before groups read as
 * they were. Its offline row keeps the member's copy as addressed ({@code to_uid}, {@code
 * to_appcode}: the member and the appcode it was added with), from which and the inbox the copy is
 * rebuilt ({@link Message#forMember}); its timeline row is the message as sent, to no one. A group
 * row's {@code added} counts the members ever added, and a member's {@code order} is that count
 * when it was added: members are listed in the order they were added, whatever their uids.
 */
final class RocksRows {
  private static final byte FORMAT = 1;
  private static final byte FORMAT_GROUP = 2;

  private RocksRows() {}

  static byte[] message(Message message) {
    RocksKeys.Builder value =
        new RocksKeys.Builder(64 + message.content().length())
            .raw(new byte[] {message.groupId() == null ? FORMAT : FORMAT_GROUP})
            .number(message.senddate())
            .text(message.kind().wire())
            .text(message.fromUid())
            .integer(message.fromAppcode())
            .text(message.toUid())
            .integer(message.toAppcode())
            .integer(message.msgtype())
            .text(message.logid())
            .longText(message.content());
    return message.groupId() == null ? value.bytes() : value.text(message.groupId()).bytes();
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
    Message message =
        new Message(
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
    return value[0] == FORMAT_GROUP ? message.inGroup(reader.text()) : message;
  }

  /**
   * The copy of the message stored under the offline key {@code key} for that key's inbox: a copy
   * for another terminal is told by its inbox (docs/conversations.md); a group message's copy by
   * the member it is addressed to and the inbox (docs/groups.md).
   */
  static Message offlineMessage(byte[] key, byte[] value) {
    RocksKeys.Reader inbox = new RocksKeys.Reader(key, 0);
    String uid = inbox.text();
    int appcode = inbox.integer();
    Message message = message(key, value);
    return message.groupId() == null
        ? message.at(uid, appcode)
        : message.forMember(message.toUid(), message.toAppcode(), appcode);
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

  /** A group's row. */
  static byte[] group(RocksGroup.Row row) {
    return new RocksKeys.Builder(32 + row.title().length())
        .raw(new byte[] {(byte) (row.closed() ? 1 : 0)})
        .number(row.lastMsgid())
        .number(row.added())
        .longText(row.title())
        .bytes();
  }

  static RocksGroup.Row group(byte[] value) {
    RocksKeys.Reader reader = new RocksKeys.Reader(value, 0);
    boolean closed = reader.raw1() != 0;
    long lastMsgid = reader.number();
    long added = reader.number();
    return new RocksGroup.Row(reader.longText(), closed, lastMsgid, added);
  }

  /** A member's row; its uid is the end of its key. */
  static byte[] member(RocksGroup.Member member) {
    return new RocksKeys.Builder(28)
        .integer(member.appcode())
        .number(member.joined())
        .number(member.read())
        .number(member.order())
        .bytes();
  }

  static RocksGroup.Member member(byte[] key, byte[] value) {
    RocksKeys.Reader reader = new RocksKeys.Reader(value, 0);
    return new RocksGroup.Member(
        RocksKeys.uidOfMember(key),
        reader.integer(),
        reader.number(),
        reader.number(),
        reader.number());
  }

  private static RocksKeys.Reader reader(byte[] value) {
    if (value[0] != FORMAT && value[0] != FORMAT_GROUP) {
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
