package io.courier.bridge;

import io.courier.contract.Addresses;
import io.courier.contract.LocalRouting;
import io.vertx.core.Context;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>When routing runs on this node ({@link LocalRouting}) and the frame has no headers, the
 * request skips the event bus: one of routing's instances, picked in turn as the event bus picks a
 * consumer, is called on its own context with the body (not a copy: nothing else holds it), at once
 * when that context shares the bridge's event loop; its answer comes back to the bridge's event
 * loop (at once when it completes there), and the event bus's default timeout is kept by {@link
 * Deadlines}, which fails a request with the event bus's {@code TIMEOUT} text. What this saves per
 * push is the reply consumer registered and removed and the timer scheduled and cancelled. Without
 * routing here, or while it stops, or with headers (which set the timeout or are meant for the
 * consumer), the request goes over the event bus, whose failures ({@code NO_HANDLERS} among them)
 * are then the ones a business always got.
 *
 * @implNote The bridge would keep a reply that itself asks for an answer (one with a reply address)
 *     in its table, so that the business could answer it; routing's consumers answer with a plain
 *     {@code reply}, so there is none to keep, and such an answer would be refused ({@code reply}
 *     rule).
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
  private final LocalRouting routing;
  private final ContextInternal bridge;
  private final Deadlines deadlines;
  private final long timeoutMillis;
  private final boolean clustered;

  /** Numbers the reply addresses that a timeout's message names, as the local event bus does. */
  private final AtomicLong replies = new AtomicLong();

  /**
   * @param routing this node's routing instances
   * @param bridge the bridge's context, where requests are sent and answered
   * @param timeoutMillis how long a request to routing without a {@code timeout} header waits: the
   *     event bus's default, {@link DeliveryOptions#DEFAULT_TIMEOUT}, but in tests
   */
  DirectSend(
      EventBus eventBus,
      LocalRouting routing,
      Context bridge,
      long timeoutMillis,
      boolean clustered) {
    this.eventBus = eventBus;
    this.routing = routing;
    this.bridge = (ContextInternal) bridge;
    this.timeoutMillis = timeoutMillis;
    this.clustered = clustered;
    this.deadlines = new Deadlines(bridge.owner(), timeoutMillis, System::nanoTime);
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
    LocalRouting.Instance instance = request.headers().isEmpty() ? routing.pick() : null;
    if (instance == null) {
      overTheBus(request, answer);
    } else {
      call(instance, request, answer);
    }
  }

  /**
   * Calls {@code instance} on its context; answers on the bridge's, unless the deadline passed.
   * Each step runs at once when its context's event loop is the current thread ({@link
   * ContextInternal#emit}), else as a task on that loop, as {@code runOnContext} would.
   */
  private void call(LocalRouting.Instance instance, Request request, Consumer<byte[]> answer) {
    Deadlines.Pending pending = deadlines.start(() -> answer.accept(timedOut(request)));
    JsonObject body = request.body();
    ((ContextInternal) instance.context())
        .emit(
            v -> {
              if (!routing.serves(instance)) {
                bridge.emit(
                    stopped -> {
                      if (deadlines.answered(pending)) {
                        overTheBus(request, answer);
                      }
                    });
                return;
              }
              instance
                  .serve(request.address(), body)
                  .onComplete(
                      done ->
                          bridge.emit(
                              back -> {
                                if (deadlines.answered(pending)) {
                                  answer.accept(
                                      ReplyFrames.plainMessage(
                                          request.replyAddress(), done.result()));
                                }
                              }));
            });
  }

  /**
   * The {@code err} frame of a request that timed out, with the event bus's text: it names the
   * reply address the request would have had, numbered on a local event bus, a random UUID on a
   * clustered one.
   */
  private byte[] timedOut(Request request) {
    String replyAddress =
        "__vertx.reply."
            + (clustered ? UUID.randomUUID().toString() : Long.toString(replies.incrementAndGet()));
    return ReplyFrames.failure(
        request.address(),
        request.replyAddress(),
        new ReplyException(
            ReplyFailure.TIMEOUT,
            "Timed out after waiting "
                + timeoutMillis
                + "(ms) for a reply. address: "
                + replyAddress
                + ", repliedAddress: "
                + request.address()));
  }

  /** Sends {@code request} as the stock bridge does: a request with local delivery. */
  private void overTheBus(Request request, Consumer<byte[]> answer) {
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
    return headers.isEmpty() ? LOCAL : PlainSend.deliveryOptions(headers).setLocalOnly(true);
  }
}
