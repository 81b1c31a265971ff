package io.courier.bridge;

import io.courier.contract.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves, in the guard, the business requests that make up the push traffic: a {@code send} to
 * {@code courier.s2c} or {@code courier.s2c.multi} with a {@code replyAddress} and an object body,
 * in the guard's one pass over the frame ({@link PlainSend}). Every other frame still goes to the
 * stock bridge ({@link InProcessBridge}).
 *
 * <p>It does what the stock bridge (5.0.7) does for such a frame, in the same order, so a business
 * cannot tell the two apart: the same request (the body as Vert.x decodes it, the frame's headers
 * on the message, its {@code timeout} header as the request's timeout, delivery to this node's
 * routing only as {@link NodeLocalBus} forces), issued while the frame is handled, and the same
 * answer frame when it completes ({@link ReplyFrames}): the reply as a {@code message}, a failure
 * as an {@code err} with its {@code failureType}. What it saves is the bridge's second parse of the
 * whole frame, its envelope objects and copies, and the reflective stand-ins between the guard and
 * the bridge.
 *
 * @implNote The bridge would keep a reply that itself asks for an answer (one with a reply address)
 *     in its table, so that the business could answer it; routing's consumers answer with a plain
 *     {@code reply}, so there is none to keep, and such an answer would be refused ({@code reply}
 *     rule). Rejected: a local call into routing without the event bus, which would save the
 *     request's reply registration and timer but run routing on the bridge's event loop and change
 *     the {@code TIMEOUT} and {@code NO_HANDLERS} failures a business sees.
 */
final class DirectSend {
  private static final Logger LOG = LoggerFactory.getLogger(DirectSend.class);

  /** A request without headers: this node's routing, the default timeout. */
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  /**
   * A request the guard serves.
   *
   * @param address {@code courier.s2c} or {@code courier.s2c.multi}
   * @param replyAddress where the business wants the answer
   * @param headers the frame's headers but the secret, as {@link PlainSend.Plain#headers()}
   * @param body the request's body
   */
  record Request(
      String address, String replyAddress, Map<String, Object> headers, JsonObject body) {}

  private final EventBus eventBus;

  DirectSend(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  /**
   * Whether a plain send to {@code address} with a reply address and an object body is served here.
   */
  static boolean serves(String address) {
    return address.equals(Addresses.S2C) || address.equals(Addresses.S2C_MULTI);
  }

  /**
   * Sends {@code request}; the body of the frame that answers it goes to {@code answer}, on the
   * caller's event loop.
   */
  void send(Request request, Consumer<byte[]> answer) {
    eventBus
        .request(request.address(), request.body(), options(request.headers()))
        .onComplete(
            done -> {
              if (done.succeeded()) {
                answer.accept(ReplyFrames.message(request.replyAddress(), done.result()));
              } else if (done.cause() instanceof ReplyException failure) {
                answer.accept(
                    ReplyFrames.failure(request.address(), request.replyAddress(), failure));
              } else {
                // the stock bridge fails on its cast of such a failure, and writes nothing either
                LOG.error(
                    "request to {} failed without a reply failure",
                    request.address(),
                    done.cause());
              }
            });
  }

  /** The bridge's options for {@code headers}, delivered locally. */
  private static DeliveryOptions options(Map<String, Object> headers) {
    if (headers.isEmpty()) {
      return LOCAL;
    }
    DeliveryOptions options = new DeliveryOptions();
    headers.forEach(
        (name, value) -> {
          switch (name) {
            case "timeout":
              options.setSendTimeout((Long) value);
              break;
            case "localOnly":
              break;
            default:
              options.addHeader(name, (String) value);
          }
        });
    return options.setLocalOnly(true);
  }
}
