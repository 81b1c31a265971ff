package io.courier.message;

import io.courier.protocol.Fields;
import io.courier.protocol.JsonBytes;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.MessageFields;
import io.vertx.core.json.JsonObject;

/**
 * A message the platform has accepted: what is stored, routed and pushed. Its wire form is the PUSH
 * body (protocol.md 9.6), also the item of PULL and HISTORY pages.
 *
 * <p>{@code msgid} is positive (63 bits, see {@code MsgIdGenerator}) and travels as a decimal
 * string. An S2C message names no sender unless the business gave {@code from_uid}; then {@code
 * fromUid} is {@code ""} and {@code fromAppcode} 0.
 *
 * <p>One message can wait for several terminals (docs/conversations.md): the copy for a receiver's
 * other terminal names it in {@code terminal}, the copy for one of the sender's other terminals is
 * a {@code sync} copy. Each copy is one offline row, in its own inbox ({@link #inboxUid()}, {@link
 * #inboxAppcode()}); the PUSH body tells a sync copy by {@code "sync": true}, and says nothing of
 * the terminal, which is the receiving session's own appcode.
 *
 * @param senddate ms since the epoch when the platform accepted the message
 * @param logid the message's trace id (protocol.md section 12)
 * @param terminal the appcode of the terminal this copy is for, 0 for the addressed {@code
 *     to_appcode} (always set on a sync copy)
 * @param sync whether this is the copy for another terminal of the sender
 * @param state what the session's user knows of the message: {@code sent}, {@code delivered} or
 *     {@code read} (docs/conversations.md); null when not told (S2C)
 * @param groupId the group of a {@link Kind#C2G} message (docs/groups.md), null otherwise; a
 *     member's copy is addressed to the member's {@code (uid, appcode)}
 */
public record Message(
    long msgid,
    Kind kind,
    String fromUid,
    int fromAppcode,
    String toUid,
    int toAppcode,
    int msgtype,
    String content,
    long senddate,
    String logid,
    int terminal,
    boolean sync,
    String state,
    String groupId) {

  private static final JsonBytes.Name MSGID = JsonBytes.name("msgid");
  private static final JsonBytes.Name KIND = JsonBytes.name("kind");
  private static final JsonBytes.Name FROM_UID = JsonBytes.name("from_uid");
  private static final JsonBytes.Name FROM_APPCODE = JsonBytes.name("from_appcode");
  private static final JsonBytes.Name TO_UID = JsonBytes.name("to_uid");
  private static final JsonBytes.Name TO_APPCODE = JsonBytes.name("to_appcode");
  private static final JsonBytes.Name MSGTYPE = JsonBytes.name("msgtype");
  private static final JsonBytes.Name CONTENT = JsonBytes.name("content");
  private static final JsonBytes.Name SENDDATE = JsonBytes.name("senddate");
  private static final JsonBytes.Name LOGID = JsonBytes.name("logid");
  private static final JsonBytes.Name SYNC = JsonBytes.name("sync");
  private static final JsonBytes.Name TERMINAL = JsonBytes.name("terminal");
  private static final JsonBytes.Name STATE = JsonBytes.name("state");
  private static final JsonBytes.Name GROUP_ID = JsonBytes.name("group_id");
  private static final JsonBytes.Name QOS = JsonBytes.name("qos");

  /** The message as addressed: the copy for {@code (toUid, toAppcode)}. */
  public Message(
      long msgid,
      Kind kind,
      String fromUid,
      int fromAppcode,
      String toUid,
      int toAppcode,
      int msgtype,
      String content,
      long senddate,
      String logid) {
    this(
        msgid,
        kind,
        fromUid,
        fromAppcode,
        toUid,
        toAppcode,
        msgtype,
        content,
        senddate,
        logid,
        0,
        false,
        null,
        null);
  }

  /** The uid whose offline row holds this copy: the receiver's, or the sender's for sync. */
  public String inboxUid() {
    return sync ? fromUid : toUid;
  }

  /** The appcode of the terminal whose offline row holds this copy. */
  public int inboxAppcode() {
    return terminal != 0 ? terminal : toAppcode;
  }

  /** Whether this is the copy for the addressed {@code (to_uid, to_appcode)}. */
  public boolean addressed() {
    return !sync && terminal == 0;
  }

  /**
   * The copy of this message for the terminal {@code (uid, appcode)}: a sync copy when {@code uid}
   * is not the receiver.
   */
  public Message at(String uid, int appcode) {
    boolean forSender = !uid.equals(toUid);
    int copyTerminal = !forSender && appcode == toAppcode ? 0 : appcode;
    return copy(toUid, toAppcode, msgid, senddate, copyTerminal, forSender, state, groupId);
  }

  /** This message with another msgid and senddate: the first acceptance of a resent cmid. */
  public Message withMsgid(long firstMsgid, long firstSenddate) {
    return copy(toUid, toAppcode, firstMsgid, firstSenddate, terminal, sync, state, groupId);
  }

  /** This copy with {@code newState} ({@code sent}, {@code delivered}, {@code read} or null). */
  public Message withState(String newState) {
    return copy(toUid, toAppcode, msgid, senddate, terminal, sync, newState, groupId);
  }

  /**
   * The copy of this group message for a member's inbox: addressed to {@code (uid, appcode)}, the
   * copy for the member's terminal {@code terminal} (0: the member's own appcode), a {@code sync}
   * copy when the member is the sender.
   */
  public Message forMember(String uid, int appcode, int memberTerminal) {
    boolean sender = uid.equals(fromUid);
    int copyTerminal = sender || memberTerminal != appcode ? memberTerminal : 0;
    return copy(uid, appcode, msgid, senddate, copyTerminal, sender, state, groupId);
  }

  /** This message in the group {@code group}: a {@link Kind#C2G} message's group. */
  public Message inGroup(String group) {
    return copy(toUid, toAppcode, msgid, senddate, terminal, sync, state, group);
  }

  /** This message with the fields a copy may change; the sender, type and content stay. */
  private Message copy(
      String copyToUid,
      int copyToAppcode,
      long copyMsgid,
      long copySenddate,
      int copyTerminal,
      boolean copySync,
      String copyState,
      String copyGroupId) {
    return new Message(
        copyMsgid,
        kind,
        fromUid,
        fromAppcode,
        copyToUid,
        copyToAppcode,
        msgtype,
        content,
        copySenddate,
        logid,
        copyTerminal,
        copySync,
        copyState,
        copyGroupId);
  }

  /** The PUSH body as a JSON object: for the event bus and for PULL and HISTORY pages. */
  public JsonObject toPushBody() {
    JsonObject body = new JsonObject();
    writePushFields(body, INTO_OBJECT);
    return body;
  }

  /**
   * The PUSH body with the copy's terminal: what crosses the event bus between Courier's own
   * verticles (a push to a gate, the gate's report of an ack), which must find the copy's offline
   * row.
   */
  public JsonObject toBusBody() {
    JsonObject body = toPushBody();
    if (terminal != 0) {
      body.put(TERMINAL.text(), terminal);
    }
    return body;
  }

  /**
   * Writes the JSON of {@link #toPushBody()} straight into a frame, building nothing: the PUSH
   * frame's body on the hot path ({@link io.courier.protocol.FrameEncoder#encodeFlat}).
   */
  public void writePushBody(JsonBytes json) {
    json.startObject();
    writePushFields(json, INTO_BYTES);
    json.endObject();
  }

  /**
   * {@link #writePushBody} with {@code "qos":0} last: the PUSH of a message pushed with qos 0
   * (never stored, never resent), which the client need not acknowledge (docs/protocol.md section
   * 9.6). A PUSH without the field is qos 1 and must be acknowledged.
   */
  public void writeQos0PushBody(JsonBytes json) {
    json.startObject();
    writePushFields(json, INTO_BYTES);
    json.field(QOS, 0);
    json.endObject();
  }

  /**
   * The PUSH body's fields in wire order: the one list that both forms are written from. The sinks
   * are stateless singletons and take primitives, so the byte form allocates nothing.
   */
  private <T> void writePushFields(T out, FieldSink<T> sink) {
    sink.decimal(out, MSGID, msgid);
    sink.string(out, KIND, kind.wire());
    sink.string(out, FROM_UID, fromUid);
    sink.integer(out, FROM_APPCODE, fromAppcode);
    sink.string(out, TO_UID, toUid);
    sink.integer(out, TO_APPCODE, toAppcode);
    sink.integer(out, MSGTYPE, msgtype);
    sink.string(out, CONTENT, content);
    sink.number(out, SENDDATE, senddate);
    sink.string(out, LOGID, logid);
    if (sync) {
      sink.flag(out, SYNC);
    }
    if (state != null) {
      sink.string(out, STATE, state);
    }
    if (groupId != null) {
      sink.string(out, GROUP_ID, groupId);
    }
  }

  /**
   * Reads a PUSH body back, checking each field's presence and type (the client reads what a server
   * sent; Courier's verticles read what another node sent): the {@link #toBusBody()} form too.
   */
  public static Message fromPushBody(JsonObject body) throws MalformedBodyException {
    Kind kind;
    try {
      kind = Kind.fromWire(Fields.string(body, KIND.text()));
    } catch (IllegalArgumentException e) {
      throw new MalformedBodyException(KIND.text() + " must be s2c, c2c, c2g or read");
    }
    return new Message(
        MessageFields.msgid(body, MSGID.text()),
        kind,
        Fields.string(body, FROM_UID.text()),
        intField(body, FROM_APPCODE.text()),
        Fields.string(body, TO_UID.text()),
        intField(body, TO_APPCODE.text()),
        MessageFields.msgtype(body),
        Fields.string(body, CONTENT.text()),
        Fields.integer(body, SENDDATE.text()),
        Fields.string(body, LOGID.text()),
        body.getValue(TERMINAL.text()) == null ? 0 : intField(body, TERMINAL.text()),
        Boolean.TRUE.equals(body.getValue(SYNC.text())),
        body.getValue(STATE.text()) instanceof String given ? given : null,
        body.getValue(GROUP_ID.text()) == null ? null : Fields.uid(body, GROUP_ID.text()));
  }

  private static int intField(JsonObject body, String field) throws MalformedBodyException {
    long value = Fields.integer(body, field);
    if (value < 0 || value > Fields.MAX_APPCODE) {
      throw new MalformedBodyException(field + " must be an integer 0-" + Fields.MAX_APPCODE);
    }
    return (int) value;
  }

  /** Where the fields of a PUSH body go: a JSON object, or the bytes of a frame. */
  private interface FieldSink<T> {
    /** A number sent as the string of its decimal digits. */
    void decimal(T out, JsonBytes.Name name, long value);

    void string(T out, JsonBytes.Name name, String value);

    void integer(T out, JsonBytes.Name name, int value);

    void number(T out, JsonBytes.Name name, long value);

    void flag(T out, JsonBytes.Name name);
  }

  private static final FieldSink<JsonObject> INTO_OBJECT =
      new FieldSink<>() {
        @Override
        public void decimal(JsonObject out, JsonBytes.Name name, long value) {
          out.put(name.text(), Long.toString(value));
        }

        @Override
        public void string(JsonObject out, JsonBytes.Name name, String value) {
          out.put(name.text(), value);
        }

        @Override
        public void integer(JsonObject out, JsonBytes.Name name, int value) {
          out.put(name.text(), value);
        }

        @Override
        public void number(JsonObject out, JsonBytes.Name name, long value) {
          out.put(name.text(), value);
        }

        @Override
        public void flag(JsonObject out, JsonBytes.Name name) {
          out.put(name.text(), true);
        }
      };

  private static final FieldSink<JsonBytes> INTO_BYTES =
      new FieldSink<>() {
        @Override
        public void decimal(JsonBytes out, JsonBytes.Name name, long value) {
          out.decimalString(name, value);
        }

        @Override
        public void string(JsonBytes out, JsonBytes.Name name, String value) {
          out.field(name, value);
        }

        @Override
        public void integer(JsonBytes out, JsonBytes.Name name, int value) {
          out.field(name, value);
        }

        @Override
        public void number(JsonBytes out, JsonBytes.Name name, long value) {
          out.field(name, value);
        }

        @Override
        public void flag(JsonBytes out, JsonBytes.Name name) {
          out.trueField(name);
        }
      };
}
