package io.courier.bridge;

import io.courier.contract.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Decides whether one business frame may reach the bridge, and in which form. A frame passes only
 * if the bridge can handle it without throwing. Besides an unknown or missing {@code type}, Vert.x
 * 5.0.7 throws on the event loop, in the middle of its parser, and so wedges the connection for
 * good, on: {@code headers} that is not an object, a header whose value is null, a {@code timeout}
 * header that is not a positive number, a {@code localOnly} header that is not a boolean, any
 * {@code codecName} header it does not know, and a {@code failureCode} that is not a number in a
 * reply (all checked against the real bridge).
 *
 * <p>A plain {@code send} ({@link PlainSend}: every ordinary request and reply) is checked in one
 * streaming pass and passed as received, or, with a secret, as received less the bytes of the
 * secret header's member; a push request with a reply address comes out of that pass ready to be
 * served by the guard itself ({@link DirectSend}), and the verdict carries it instead of a frame; a
 * send to a reply address with an object body comes out read as well ({@link Verdict#answer()}),
 * next to its frame, for the guard to serve if it delivered the message ({@link Registrations}).
 * Every other frame (a wrong or missing secret among them) is parsed into a tree and what passes is
 * re-encoded from the fields the bridge reads, without the {@code courier-secret} header: the
 * bridge then parses exactly what was checked, and it copies every other header onto the event-bus
 * message, where the secret must not travel. Other top-level fields are dropped (the bridge ignores
 * them); header values that are numbers or booleans are passed as strings, as the bridge would;
 * addresses and texts must be strings (the bridge would quietly use the JSON text of anything
 * else).
 *
 * <p>No string or name anywhere in the frame may hold an unpaired UTF-16 surrogate ({@link
 * UnpairedSurrogates}): the bridge would pass it on, and a client would get a PUSH that a strict
 * JSON decoder cannot read. The plain path leaves such a frame to the full check, which names where
 * the surrogate is.
 *
 * <p>Which business a frame acts for is the connection's {@link Identity}'s to say, from the secret
 * the frame carries; the verdict names it, and the {@code to_appcode} of a send's body, for the
 * business's own rules ({@link Business}), which come after these.
 *
 * <p>Order of checks: JSON object, {@code type}, credentials, text, fields; so a client without a
 * credential learns only {@code access_denied}, whatever else is wrong with its frame.
 *
 * <p>{@code ping} is exempt from the secret. It reaches no event-bus address and reveals nothing
 * but liveness, and the stock bridge clients send their keep-alive pings without headers; requiring
 * the secret would make them fail only at the first ping, long after connecting. {@code publish} is
 * refused with {@code access_denied}: no business address is a publish address, and a publish to
 * {@code courier.s2c} would reach every routing instance of the cluster at once (duplicate pushes);
 * the permission lists of the bridge cannot tell a publish from a send.
 */
final class FrameCheck {
  /** The header that carries the shared secret. */
  static final String SECRET_HEADER = "courier-secret";

  private FrameCheck() {}

  /**
   * The verdict on one complete frame, length prefix included, of a connection that is {@code
   * identity}.
   */
  static Verdict check(Buffer frame, Identity identity) {
    Buffer body = frame.slice(Frames.LENGTH_BYTES, frame.length());
    PlainSend.Plain plain = PlainSend.scan(body, FrameCheck::treeFor);
    if (plain != null) {
      Business business = identity.of(plain.secret());
      if (business != null) {
        if (plain.tree() != null && plain.address().startsWith(Addresses.REPLY_PREFIX)) {
          return new Verdict(
              FrameType.SEND,
              plain.address(),
              plain.secret() == null ? frame : without(body, plain.cutStart(), plain.cutEnd()),
              business,
              plain.toAppcode(),
              null,
              null,
              new Registrations.Answer(
                  plain.address(),
                  plain.replyAddress(),
                  plain.headers(),
                  plain.failureCode(),
                  plain.message(),
                  plain.tree()));
        }
        if (plain.tree() != null && plain.replyAddress() != null) {
          return new Verdict(
              FrameType.SEND,
              plain.address(),
              null,
              business,
              plain.toAppcode(),
              null,
              new DirectSend.Request(
                  plain.address(), plain.replyAddress(), plain.headers(), plain.tree()),
              null);
        }
        return Verdict.pass(
            FrameType.SEND,
            plain.address(),
            plain.secret() == null ? frame : without(body, plain.cutStart(), plain.cutEnd()),
            business,
            plain.toAppcode());
      }
    }
    return checkTree(body, identity);
  }

  /**
   * Whether the guard's pass reads the body's tree for a send to {@code address}: a push request
   * ({@link DirectSend}) or an answer, which the guard serves when it delivered the message ({@link
   * Registrations}).
   */
  private static boolean treeFor(String address) {
    return DirectSend.serves(address) || address.startsWith(Addresses.REPLY_PREFIX);
  }

  /** The frame of {@code body} with the bytes from {@code start} to {@code end} cut out. */
  private static Buffer without(Buffer body, int start, int end) {
    int length = body.length() - (end - start);
    return Buffer.buffer(Frames.LENGTH_BYTES + length)
        .appendInt(length)
        .appendBuffer(body, 0, start)
        .appendBuffer(body, end, body.length() - end);
  }

  private static Verdict checkTree(Buffer body, Identity identity) {
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (RuntimeException e) {
      return Verdict.reject(Refusal.error(GuardError.INVALID_JSON, null));
    }
    if (!(parsed instanceof JsonObject)) {
      return Verdict.reject(Refusal.error(GuardError.INVALID_JSON, null));
    }
    JsonObject fields = (JsonObject) parsed;
    Object typeValue = fields.getValue("type");
    FrameType type = typeValue instanceof String ? FrameType.fromWire((String) typeValue) : null;
    if (type == null) {
      return Verdict.reject(Refusal.error(GuardError.UNKNOWN_TYPE, null));
    }
    if (type == FrameType.PING) {
      return Verdict.pass(type, null, Frames.PING, identity.business(), null);
    }
    Business business = identity.of(secretIn(fields.getValue("headers")));
    if (business == null) {
      return Verdict.reject(Refusal.denied(Rule.CREDENTIALS));
    }
    if (type == FrameType.PUBLISH) {
      return Verdict.reject(Refusal.denied(Rule.API));
    }
    String unpaired = UnpairedSurrogates.path(fields);
    if (unpaired != null) {
      return Verdict.reject(
          Refusal.error(GuardError.UNPAIRED_SURROGATE, unpaired.isEmpty() ? null : unpaired));
    }
    Object address = fields.getValue("address");
    if (address == null) {
      return Verdict.reject(Refusal.error(GuardError.MISSING_ADDRESS, null));
    }
    if (!(address instanceof String) || ((String) address).isEmpty()) {
      return Verdict.reject(Refusal.error(GuardError.INVALID_FIELD, "address"));
    }
    JsonObject forward = new JsonObject().put("type", type.wire()).put("address", address);
    Integer toAppcode = null;
    if (type == FrameType.SEND) {
      String bad = copySendFields(fields, forward);
      if (bad != null) {
        return Verdict.reject(Refusal.error(GuardError.INVALID_FIELD, bad));
      }
      if (forward.getValue("body") instanceof JsonObject sent
          && sent.getValue("to_appcode") instanceof Integer appcode) {
        toAppcode = appcode;
      }
    }
    return Verdict.pass(type, (String) address, Frames.encode(forward), business, toAppcode);
  }

  /** Copies the fields of a send; returns the name of the first bad one, or null. */
  private static String copySendFields(JsonObject frame, JsonObject forward) {
    Object replyAddress = frame.getValue("replyAddress");
    if (replyAddress != null) {
      if (!(replyAddress instanceof String)) {
        return "replyAddress";
      }
      forward.put("replyAddress", replyAddress);
    }
    Object failureCode = frame.getValue("failureCode");
    if (failureCode != null) {
      // Jackson yields an Integer for every number that fits; the bridge reads it with getInteger
      if (!(failureCode instanceof Integer)) {
        return "failureCode";
      }
      forward.put("failureCode", failureCode);
    }
    Object message = frame.getValue("message");
    if (message != null) {
      if (!(message instanceof String)) {
        return "message";
      }
      forward.put("message", message);
    }
    Object headers = frame.getValue("headers");
    if (headers != null) {
      if (!(headers instanceof JsonObject)) {
        return "headers";
      }
      JsonObject kept = new JsonObject();
      for (Map.Entry<String, Object> header : (JsonObject) headers) {
        String name = header.getKey();
        Object value = header.getValue();
        if (name.equals(SECRET_HEADER)) {
          continue;
        }
        boolean ok;
        switch (name) {
          case "timeout":
            ok =
                (value instanceof Integer || value instanceof Long)
                    && ((Number) value).longValue() > 0;
            break;
          case "localOnly":
            ok = value instanceof Boolean;
            break;
          case "codecName":
            // a business has no say in Courier's codecs; an unknown one throws inside the bridge
            ok = false;
            break;
          default:
            ok = value instanceof String || value instanceof Number || value instanceof Boolean;
            value = ok ? value.toString() : null;
        }
        if (!ok) {
          return "headers." + name;
        }
        kept.put(name, value);
      }
      if (!kept.isEmpty()) {
        forward.put("headers", kept);
      }
    }
    if (frame.containsKey("body")) {
      forward.put("body", frame.getValue("body"));
    }
    return null;
  }

  /** The secret header of {@code headers}, or null when there is none. */
  private static String secretIn(Object headers) {
    return headers instanceof JsonObject given
            && given.getValue(SECRET_HEADER) instanceof String secret
        ? secret
        : null;
  }

  /**
   * Either a frame to forward, with its type, address, business and appcode, or the refusal to
   * answer with.
   */
  static final class Verdict {
    private final FrameType type;
    private final String address;
    private final Buffer frame;
    private final Business business;
    private final Integer toAppcode;
    private final Refusal refusal;
    private final DirectSend.Request request;
    private final Registrations.Answer answer;

    private Verdict(
        FrameType type,
        String address,
        Buffer frame,
        Business business,
        Integer toAppcode,
        Refusal refusal,
        DirectSend.Request request,
        Registrations.Answer answer) {
      this.type = type;
      this.address = address;
      this.frame = frame;
      this.business = business;
      this.toAppcode = toAppcode;
      this.refusal = refusal;
      this.request = request;
      this.answer = answer;
    }

    static Verdict pass(
        FrameType type, String address, Buffer frame, Business business, Integer toAppcode) {
      return new Verdict(type, address, frame, business, toAppcode, null, null, null);
    }

    static Verdict reject(Refusal refusal) {
      return new Verdict(null, null, null, null, null, refusal, null, null);
    }

    boolean passed() {
      return refusal == null;
    }

    /** The frame's type; null when rejected. */
    FrameType type() {
      return type;
    }

    /** The frame's address; null for a ping or when rejected. */
    String address() {
      return address;
    }

    /**
     * The complete frame (length prefix included) to forward to the bridge, the checked frame
     * itself when nothing had to change; null when rejected or served by the guard ({@link
     * #request()}).
     */
    Buffer frame() {
      return frame;
    }

    /**
     * The business the frame acts for; null when rejected, and for a ping before the connection has
     * shown a credential.
     */
    Business business() {
      return business;
    }

    /**
     * A send's {@code body.to_appcode} when the body is an object and it is a 32-bit JSON integer,
     * else null.
     */
    Integer toAppcode() {
      return toAppcode;
    }

    /** Why it was rejected; null when it passed. */
    Refusal refusal() {
      return refusal;
    }

    /** The request the guard serves itself instead of forwarding a frame, or null. */
    DirectSend.Request request() {
      return request;
    }

    /**
     * A send to a reply address with an object body, as read in the guard's pass, or null: served
     * by the guard when it delivered the message, else {@link #frame()} goes to the bridge.
     */
    Registrations.Answer answer() {
      return answer;
    }
  }
}
