package io.courier.bridge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses one business connection registered, served by the guard as the stock bridge (5.0.7,
 * {@code TcpEventBusBridgeImpl}) serves them: a consumer per address on the event bus, each message
 * written as the bridge's {@code message} frame ({@link ReplyFrames#delivered}), and the messages
 * that wait for an answer kept by their reply address until the business sends to it, once. What
 * the business sees and what the sender gets back are the bridge's, step for step: the same frame
 * bytes, the same {@code reply} or {@code fail} with the frame's headers as options, a reply that
 * itself asks for an answer sent as a request with local delivery ({@link NodeLocalBus}), {@code
 * unknown_address} for an address not registered, and every consumer unregistered when the
 * connection ends. Confined to the connection's event loop.
 *
 * <p>Only the business's own appcodes reach a scoped business ({@link Business#receives}), as
 * {@link NodeLocalBus} filters the bridge's consumers.
 *
 * @implNote This is the C2S path: every message a business consumes, and its answer, which routing
 *     waits for. The stock bridge spent most of its share of a C2S there (a third of the node's
 *     samples): the envelope built as a {@code JsonObject} and encoded by Jackson's character
 *     generator, the headers' object, its reflective socket stand-in, and the whole answer frame
 *     parsed again after the guard's own pass. The stock bridge still serves everything else (ping,
 *     the requests the guard does not serve, replies to the answers it delivered), and its table of
 *     answers waiting for a reply is disjoint from this one: reply addresses are unique.
 */
final class Registrations {
  private static final Logger LOG = LoggerFactory.getLogger(Registrations.class);

  /** The bridge's answer to an {@code unregister} of an address the connection did not register. */
  static final Buffer UNKNOWN_ADDRESS =
      Frames.encode(new JsonObject().put("type", "err").put("message", "unknown_address"));

  /** A reply without headers: the bridge's options for a frame without any. */
  private static final DeliveryOptions NO_HEADERS = new DeliveryOptions();

  private final EventBus eventBus;
  private final Consumer<byte[]> output;
  private final Map<String, MessageConsumer<Object>> consumers = new HashMap<>();

  /** Messages delivered to the business that wait for its answer, by their reply address. */
  private final Map<String, Message<Object>> awaiting = new HashMap<>();

  /**
   * @param output where the body of each frame for the business goes, length prefix not included
   */
  Registrations(EventBus eventBus, Consumer<byte[]> output) {
    this.eventBus = eventBus;
    this.output = output;
  }

  /** Whether {@code address} is registered. */
  boolean registered(String address) {
    return consumers.containsKey(address);
  }

  /** Addresses registered. */
  int size() {
    return consumers.size();
  }

  /** Registers {@code address} for {@code business}, whose permission was checked. */
  void register(String address, Business business) {
    boolean scoped = business != null && business.scoped();
    consumers.put(
        address,
        eventBus.consumer(
            address,
            message -> {
              if (!scoped || business.receives(message.address(), message.body())) {
                deliver(message);
              }
            }));
  }

  private void deliver(Message<Object> message) {
    if (message.replyAddress() != null) {
      awaiting.put(message.replyAddress(), message);
    }
    output.accept(ReplyFrames.delivered(message));
  }

  /** Unregisters {@code address}; false when it was not registered. */
  boolean unregister(String address) {
    MessageConsumer<Object> consumer = consumers.remove(address);
    if (consumer == null) {
      return false;
    }
    consumer.unregister();
    return true;
  }

  /**
   * A {@code send} to a reply address, as the bridge reads it.
   *
   * @param address the reply address
   * @param replyAddress its own reply address, or null
   * @param headers its headers but the secret, in their order ({@code timeout} a number, {@code
   *     localOnly} a boolean, the others strings)
   * @param failureCode its {@code failureCode}, or null
   * @param message its {@code message}, or null
   * @param body its body, or null without one
   */
  record Answer(
      String address,
      String replyAddress,
      Map<String, Object> headers,
      Integer failureCode,
      String message,
      Object body) {

    /** The answer in {@code frame}, length prefix included, decoded as the bridge decodes it. */
    static Answer of(Buffer frame) {
      JsonObject fields = new JsonObject(frame.getString(Frames.LENGTH_BYTES, frame.length()));
      JsonObject headers = fields.getJsonObject("headers");
      return new Answer(
          fields.getString("address"),
          fields.getString("replyAddress"),
          headers == null ? Map.of() : headers.getMap(),
          fields.getInteger("failureCode"),
          fields.getString("message"),
          fields.getValue("body"));
    }
  }

  /** Whether a {@code send} to {@code address} answers a message delivered here. */
  boolean awaits(String address) {
    return awaiting.containsKey(address);
  }

  /**
   * Serves {@code answer}, a {@code send} to an address that {@link #awaits}: with a {@code
   * replyAddress}, a request whose outcome is written back; else the message's {@code reply}, or
   * its {@code fail} with the frame's {@code failureCode}.
   */
  void answer(Answer answer) {
    DeliveryOptions options =
        answer.headers().isEmpty() ? NO_HEADERS : PlainSend.deliveryOptions(answer.headers());
    Message<Object> message = awaiting.remove(answer.address());
    if (answer.replyAddress() != null) {
      request(answer.address(), answer.replyAddress(), answer.body(), options);
    } else if (answer.failureCode() == null) {
      message.reply(answer.body(), options);
    } else {
      message.fail(answer.failureCode(), answer.message());
    }
  }

  /** An answer that asks for an answer: the bridge's request with local delivery. */
  private void request(String address, String replyAddress, Object body, DeliveryOptions options) {
    eventBus
        .request(address, body, new DeliveryOptions(options).setLocalOnly(true))
        .onComplete(
            done -> {
              if (done.succeeded()) {
                Message<Object> response = done.result();
                if (response.replyAddress() != null) {
                  awaiting.put(response.replyAddress(), response);
                }
                output.accept(ReplyFrames.message(replyAddress, response));
              } else if (done.cause() instanceof ReplyException failure) {
                output.accept(ReplyFrames.failure(address, replyAddress, failure));
              } else {
                // the stock bridge fails on its cast of such a failure, and writes nothing either
                LOG.error("request to {} failed without a reply failure", address, done.cause());
              }
            });
  }

  /** The connection has ended: every consumer is unregistered, no answer is awaited. */
  void end() {
    consumers.values().forEach(MessageConsumer::unregister);
    consumers.clear();
    awaiting.clear();
  }
}
