package io.courier.contract;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Body of the internal session addresses ({@link Addresses#C2C}, {@link Addresses#PULL} …): the
 * logged-in identity the gate vouches for, and the client's body as it came (validated by the role
 * that owns it).
 *
 * <p>Across the cluster it travels as JSON ({@link #toJson}); a gate whose requests stay on its own
 * node may hand the record itself to the node's routing ({@link #localOnly}).
 */
public record SessionRequest(SessionRef session, JsonObject body) {

  /** The name of {@link LocalCodec} on the event bus. */
  public static final String LOCAL_CODEC = "courier.session-request.local";

  public JsonObject toJson() {
    return new JsonObject().put("session", session.toJson()).put("body", body);
  }

  public static SessionRequest fromJson(JsonObject json) {
    return new SessionRequest(
        SessionRef.fromJson(json.getJsonObject("session")), json.getJsonObject("body"));
  }

  /**
   * The request as its consumer received it: the record itself when it came from this node ({@link
   * #localOnly}), else its JSON.
   */
  public static SessionRequest of(Object body) {
    return body instanceof SessionRequest request ? request : fromJson((JsonObject) body);
  }

  /**
   * {@code options}, which deliver to this node only, carrying the record itself instead of its
   * JSON; the codec is registered on {@code eventBus} the first time.
   *
   * @throws IllegalArgumentException if {@code options} may reach another node
   */
  public static DeliveryOptions localOnly(EventBus eventBus, DeliveryOptions options) {
    if (!options.isLocalOnly()) {
      throw new IllegalArgumentException("the record itself never leaves its node");
    }
    LocalCodec.registerOn(eventBus);
    return new DeliveryOptions(options).setCodecName(LOCAL_CODEC);
  }

  /**
   * Hands the record from the gate to routing on the same node as it is: the JSON of the session
   * and the body, its copy on local delivery and its parse in routing were a tenth of a C2S's
   * samples in routing and the gate (docs/benchmarks.md). No copy is needed: the gate hands the
   * client's body over and never touches it again, and routing only reads it.
   *
   * @implNote A codec named per delivery, not the default codec of the class: a default codec would
   *     also be used for a request that leaves the node, which this one refuses to encode.
   */
  static final class LocalCodec implements MessageCodec<SessionRequest, SessionRequest> {

    /**
     * Registers the codec on {@code eventBus} unless it is there: the event bus has no look-up of a
     * codec by name, and the gates of one node share it.
     */
    static synchronized void registerOn(EventBus eventBus) {
      try {
        eventBus.registerCodec(new LocalCodec());
      } catch (IllegalStateException alreadyRegistered) {
        // another gate of this node registered it first
      }
    }

    @Override
    public void encodeToWire(Buffer buffer, SessionRequest request) {
      throw new UnsupportedOperationException("a session request leaves its node as JSON");
    }

    @Override
    public SessionRequest decodeFromWire(int pos, Buffer buffer) {
      throw new UnsupportedOperationException("a session request leaves its node as JSON");
    }

    @Override
    public SessionRequest transform(SessionRequest request) {
      return request;
    }

    @Override
    public String name() {
      return LOCAL_CODEC;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
