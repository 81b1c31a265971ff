package io.courier.message;

import com.fasterxml.jackson.core.JsonGenerator;
import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.MessageFields;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * A message the platform has accepted: what is stored, routed and pushed. Its wire form is the PUSH
 * body (protocol.md 9.6), also the item of PULL and HISTORY pages.
 *
 * <p>{@code msgid} is positive (63 bits, see {@code MsgIdGenerator}) and travels as a decimal
 * string. An S2C message names no sender unless the business gave {@code from_uid}; then {@code
 * fromUid} is {@code ""} and {@code fromAppcode} 0.
 *
 * @param senddate ms since the epoch when the platform accepted the message
 * @param logid the message's trace id (protocol.md section 12)
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
    String logid) {

  private static final String MSGID = "msgid";
  private static final String KIND = "kind";
  private static final String FROM_UID = "from_uid";
  private static final String FROM_APPCODE = "from_appcode";
  private static final String TO_UID = "to_uid";
  private static final String TO_APPCODE = "to_appcode";
  private static final String MSGTYPE = "msgtype";
  private static final String CONTENT = "content";
  private static final String SENDDATE = "senddate";
  private static final String LOGID = "logid";

  /** The PUSH body as a JSON object: for the event bus and for PULL and HISTORY pages. */
  public JsonObject toPushBody() {
    JsonObject body = new JsonObject();
    try {
      writePushFields(body, INTO_OBJECT);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON object takes every field", e);
    }
    return body;
  }

  /**
   * Writes the JSON of {@link #toPushBody()} straight into a frame, building nothing: the PUSH
   * frame's body on the hot path.
   */
  public void writePushBody(JsonGenerator json) throws IOException {
    json.writeStartObject();
    writePushFields(json, INTO_GENERATOR);
    json.writeEndObject();
  }

  /**
   * The PUSH body's fields in wire order: the one list that both forms are written from. The sinks
   * are stateless singletons and take primitives, so the streaming form allocates nothing beyond
   * the msgid's digits.
   */
  private <T> void writePushFields(T out, FieldSink<T> sink) throws IOException {
    sink.string(out, MSGID, Long.toString(msgid));
    sink.string(out, KIND, kind.wire());
    sink.string(out, FROM_UID, fromUid);
    sink.integer(out, FROM_APPCODE, fromAppcode);
    sink.string(out, TO_UID, toUid);
    sink.integer(out, TO_APPCODE, toAppcode);
    sink.integer(out, MSGTYPE, msgtype);
    sink.string(out, CONTENT, content);
    sink.number(out, SENDDATE, senddate);
    sink.string(out, LOGID, logid);
  }

  /**
   * Reads a PUSH body back, checking each field's presence and type (the client reads what a server
   * sent; Courier's verticles read what another node sent).
   */
  public static Message fromPushBody(JsonObject body) throws MalformedBodyException {
    Kind kind;
    try {
      kind = Kind.fromWire(Fields.string(body, KIND));
    } catch (IllegalArgumentException e) {
      throw new MalformedBodyException(KIND + " must be s2c or c2c");
    }
    return new Message(
        MessageFields.msgid(body, MSGID),
        kind,
        Fields.string(body, FROM_UID),
        intField(body, FROM_APPCODE),
        Fields.string(body, TO_UID),
        intField(body, TO_APPCODE),
        MessageFields.msgtype(body),
        Fields.string(body, CONTENT),
        Fields.integer(body, SENDDATE),
        Fields.string(body, LOGID));
  }

  private static int intField(JsonObject body, String field) throws MalformedBodyException {
    long value = Fields.integer(body, field);
    if (value < 0 || value > Fields.MAX_APPCODE) {
      throw new MalformedBodyException(field + " must be an integer 0-" + Fields.MAX_APPCODE);
    }
    return (int) value;
  }

  /** Where the fields of a PUSH body go: a JSON object, or a generator writing a frame. */
  private interface FieldSink<T> {
    void string(T out, String name, String value) throws IOException;

    void integer(T out, String name, int value) throws IOException;

    void number(T out, String name, long value) throws IOException;
  }

  private static final FieldSink<JsonObject> INTO_OBJECT =
      new FieldSink<>() {
        @Override
        public void string(JsonObject out, String name, String value) {
          out.put(name, value);
        }

        @Override
        public void integer(JsonObject out, String name, int value) {
          out.put(name, value);
        }

        @Override
        public void number(JsonObject out, String name, long value) {
          out.put(name, value);
        }
      };

  private static final FieldSink<JsonGenerator> INTO_GENERATOR =
      new FieldSink<>() {
        @Override
        public void string(JsonGenerator out, String name, String value) throws IOException {
          out.writeStringField(name, value);
        }

        @Override
        public void integer(JsonGenerator out, String name, int value) throws IOException {
          out.writeNumberField(name, value);
        }

        @Override
        public void number(JsonGenerator out, String name, long value) throws IOException {
          out.writeNumberField(name, value);
        }
      };
}
