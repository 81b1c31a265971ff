package io.courier.bridge;

import static io.courier.bridge.BridgeSocket.s2cSend;
import static io.courier.bridge.BridgeVerticleTest.await;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.courier.contract.LocalRouting;
import io.courier.testkit.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The push requests the guard hands to this node's routing without the event bus ({@link
 * DirectSend} with a {@link LocalRouting} instance) against the same requests served over the event
 * bus by the stock bridge: the business gets the same bytes, and the same {@code TIMEOUT} and
 * {@code NO_HANDLERS} failures.
 */
class BridgeLocalRoutingTest {
  /** The request timeout of the bridge under test, short so that a timeout is quick to see. */
  private static final long TIMEOUT_MS = 300;

  private Vertx vertx;
  private BridgeSocket business;
  private final LocalRouting routing = new LocalRouting();

  /** The addresses the listed instance was called for, with the thread it ran on. */
  private final LinkedBlockingQueue<List<Object>> served = new LinkedBlockingQueue<>();

  /** The addresses the event-bus consumer got a request on. */
  private final LinkedBlockingQueue<String> consumed = new LinkedBlockingQueue<>();

  private Context routingContext;
  private LocalRouting.Instance instance;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    int port = FreePorts.next();
    await(
        vertx.deployVerticle(
            new BridgeVerticle(
                CourierConfig.from(
                    new JsonObject().put("bridge", new JsonObject().put("port", port))),
                new SimpleMeterRegistry(),
                routing,
                TIMEOUT_MS)));
    routingContext = vertx.getOrCreateContext();
    instance =
        new LocalRouting.Instance() {
          @Override
          public Context context() {
            return routingContext;
          }

          @Override
          public Future<JsonObject> serve(String address, JsonObject body) {
            served.add(List.of(address, Vertx.currentContext() == routingContext));
            return answer(body);
          }
        };
    MessageConsumer<JsonObject> consumer =
        vertx
            .eventBus()
            .consumer(
                Addresses.S2C,
                msg -> {
                  consumed.add(msg.address());
                  replyAsAsked(msg);
                });
    await(consumer.completion());
    business = BridgeSocket.connect(port);
  }

  @AfterEach
  void stop() {
    business.close();
    await(vertx.close());
  }

  /** Answers as routing's consumer would: the body's {@code reply}, or never for the others. */
  private static Future<JsonObject> answer(JsonObject body) {
    return body.containsKey("reply")
        ? Future.succeededFuture(body.getJsonObject("reply"))
        : Promise.<JsonObject>promise().future();
  }

  private static void replyAsAsked(Message<JsonObject> msg) {
    if (msg.body().containsKey("reply")) {
      msg.reply(msg.body().getJsonObject("reply"));
    }
  }

  @Test
  void anAnswerFromTheListedInstanceIsTheStockBridgesByteForByte() {
    String body =
        "{\"to_uid\":\"u\",\"reply\":{\"code\":0,\"msgid\":\"132271570944012293\","
            + "\"status\":\"pushed\",\"s\":\"\\u00e9\\ud83d\\ude00\\u2028\\u0001\\\"\",\"n\":1.5}}";
    byte[] stock = ask(s2cSend(false, "r-1", body, null));
    assertEquals(Addresses.S2C, take(consumed));

    routing.add(instance);
    byte[] direct = ask(s2cSend(true, "r-1", body, null));

    assertEquals(new String(stock, UTF_8), new String(direct, UTF_8));
    assertEquals(List.of(Addresses.S2C, true), take(served));
    assertTrue(consumed.isEmpty(), "the event bus consumer was not asked");
  }

  @Test
  void aTimeoutIsTheEventBussButForTheInternalReplyAddress() {
    routing.add(instance);
    byte[] direct = ask(s2cSend(true, "r-5", "{\"no\":\"answer\"}", null));
    assertEquals(List.of(Addresses.S2C, true), take(served));
    routing.remove(instance);
    byte[] stock = ask(s2cSend(true, "r-5", "{\"no\":\"answer\"}", null));

    assertEquals(withoutReplyNumber(stock), withoutReplyNumber(direct));
    JsonObject failure = new JsonObject(new String(direct, UTF_8));
    assertEquals("TIMEOUT", failure.getString("failureType"));
    assertTrue(
        failure.getString("message").startsWith("Timed out after waiting 300(ms) for a reply."),
        failure.getString("message"));
  }

  @Test
  void anAnswerAfterTheDeadlineIsNotWritten() {
    Promise<JsonObject> late = Promise.promise();
    routing.add(
        new LocalRouting.Instance() {
          @Override
          public Context context() {
            return routingContext;
          }

          @Override
          public Future<JsonObject> serve(String address, JsonObject body) {
            return body.containsKey("late") ? late.future() : answer(body);
          }
        });

    byte[] timedOut = ask(s2cSend(true, "r-late", "{\"late\":true}", null));
    routingContext.runOnContext(v -> late.complete(new JsonObject().put("code", 0)));
    byte[] next = ask(s2cSend(true, "r-next", "{\"reply\":{\"code\":7}}", null));

    assertEquals("TIMEOUT", new JsonObject(new String(timedOut, UTF_8)).getString("failureType"));
    assertEquals(
        "{\"type\":\"message\",\"address\":\"r-next\",\"headers\":{},\"body\":{\"code\":7},"
            + "\"send\":true}",
        new String(next, UTF_8));
  }

  @Test
  void noHandlersWhenRoutingIsNotListedIsTheStockBridgesByteForByte() {
    routing.add(instance);
    routing.remove(instance);
    String frame =
        "{\"type\":\"send\",\"address\":\"courier.s2c.multi\",\"replyAddress\":\"m\",\"body\":{}}";
    String bodyFirst =
        "{\"type\":\"send\",\"body\":{},\"replyAddress\":\"m\",\"address\":\"courier.s2c.multi\"}";

    byte[] direct = ask(frame);
    byte[] stock = ask(bodyFirst);

    assertEquals(new String(stock, UTF_8), new String(direct, UTF_8));
    assertEquals("NO_HANDLERS", new JsonObject(new String(direct, UTF_8)).getString("failureType"));
    assertTrue(served.isEmpty(), "no instance was called");
  }

  @Test
  void aRequestWithHeadersGoesOverTheEventBus() {
    routing.add(instance);
    String frame =
        "{\"type\":\"send\",\"address\":\"courier.s2c\",\"replyAddress\":\"h\","
            + "\"headers\":{\"trace\":\"t\"},\"body\":{\"reply\":{\"code\":0}}}";

    byte[] answer = ask(frame);

    assertEquals(
        "{\"type\":\"message\",\"address\":\"h\",\"headers\":{},\"body\":{\"code\":0},"
            + "\"send\":true}",
        new String(answer, UTF_8));
    assertEquals(Addresses.S2C, take(consumed));
    assertTrue(served.isEmpty(), "no instance was called");
  }

  /**
   * Sends {@code frame} and reads the frame that answers it; the stock bridge's requests get the
   * bridge's timeout through the event bus's default, so a timeout is compared at {@link
   * #TIMEOUT_MS} by sending it over the bus with that header.
   */
  private byte[] ask(String frame) {
    return business.ask(timedAsTheBridge(frame));
  }

  /** A frame without answer, sent over the bus, is given the bridge's timeout in a header. */
  private String timedAsTheBridge(String frame) {
    if (frame.contains("\"no\":\"answer\"") && routing.pick() == null) {
      return frame.replace(",\"body\":", ",\"headers\":{\"timeout\":" + TIMEOUT_MS + "},\"body\":");
    }
    return frame;
  }

  private static <T> T take(LinkedBlockingQueue<T> queue) {
    try {
      T next = queue.poll(10, TimeUnit.SECONDS);
      if (next == null) {
        throw new AssertionError("nothing came");
      }
      return next;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static String withoutReplyNumber(byte[] frame) {
    return new String(frame, UTF_8)
        .replaceAll("__vertx\\.reply\\.[0-9a-zA-Z-]+", "__vertx.reply.N");
  }
}
