package io.courier.bridge;

import static io.courier.bridge.BridgeSocket.s2cSend;
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
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A routing instance on the bridge's own event loop is called while the guard handles the frame,
 * without a task on the loop's queue, and the business gets the same bytes as from the stock
 * bridge, whether routing answers at once or later.
 */
class BridgeSameLoopRoutingTest {
  private Vertx vertx;
  private BridgeSocket business;
  private final LocalRouting routing = new LocalRouting();

  /** How each call reached the instance: its context current, and within the frame's handling. */
  private final LinkedBlockingQueue<List<Boolean>> served = new LinkedBlockingQueue<>();

  private Context routingContext;

  @BeforeEach
  void start() {
    // one event loop: the bridge's and routing's
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    int port = FreePorts.next();
    vertx
        .deployVerticle(
            new BridgeVerticle(
                CourierConfig.from(
                    new JsonObject().put("bridge", new JsonObject().put("port", port))),
                new SimpleMeterRegistry(),
                routing,
                10_000))
        .await();
    routingContext = ((VertxInternal) vertx).createEventLoopContext();
    vertx
        .eventBus()
        .<JsonObject>consumer(Addresses.S2C, msg -> msg.reply(msg.body().getJsonObject("reply")))
        .completion()
        .await();
    business = BridgeSocket.connect(port);
  }

  @AfterEach
  void stop() {
    business.close();
    vertx.close().await();
  }

  @Test
  void anAnswerAtOnceIsWrittenDuringTheFrameAsTheStockBridgeWritesIt() {
    String body =
        "{\"to_uid\":\"u\",\"reply\":{\"code\":0,\"msgid\":\"17\",\"status\":\"dropped\"}}";
    byte[] stock = business.ask(s2cSend(false, "r-1", body, null));

    routing.add(instance(reply -> Future.succeededFuture(reply)));
    byte[] direct = business.ask(s2cSend(true, "r-1", body, null));

    assertEquals(new String(stock, UTF_8), new String(direct, UTF_8));
    assertEquals(List.of(true, true), take(served));
  }

  @Test
  void anAnswerLaterOnTheLoopIsTheStockBridgesToo() {
    String body =
        "{\"to_uid\":\"u\",\"reply\":{\"code\":0,\"msgid\":\"18\",\"status\":\"pushed\"}}";
    byte[] stock = business.ask(s2cSend(false, "r-2", body, null));

    routing.add(
        instance(
            reply -> {
              Promise<JsonObject> later = Promise.promise();
              routingContext.runOnContext(v -> later.complete(reply));
              return later.future();
            }));
    byte[] direct = business.ask(s2cSend(true, "r-2", body, null));

    assertEquals(new String(stock, UTF_8), new String(direct, UTF_8));
    assertEquals(List.of(true, true), take(served));
  }

  /** An instance on the bridge's loop that answers each request's {@code reply} by {@code how}. */
  private LocalRouting.Instance instance(Function<JsonObject, Future<JsonObject>> how) {
    return new LocalRouting.Instance() {
      @Override
      public Context context() {
        return routingContext;
      }

      @Override
      public Future<JsonObject> serve(String address, JsonObject body) {
        boolean inFrame =
            StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(
                    frames ->
                        frames.anyMatch(
                            frame ->
                                frame.getDeclaringClass() == GuardedConnection.class
                                    && frame.getMethodName().equals("frame")));
        served.add(List.of(Vertx.currentContext() == routingContext, inFrame));
        return how.apply(body.getJsonObject("reply"));
      }
    };
  }

  private static <T> T take(LinkedBlockingQueue<T> queue) {
    try {
      T next = queue.poll(10, TimeUnit.SECONDS);
      assertTrue(next != null, "nothing came");
      return next;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
