package io.courier.bridge;

import static io.courier.bridge.BridgeVerticleTest.await;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.config.CourierConfig;
import io.courier.testkit.FreePorts;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registrations the guard serves itself ({@link Registrations}) against the stock bridge, byte
 * for byte: one business registers through the guard, another through a stock {@link
 * TcpEventBusBridge} of the same Vert.x with the same permissions, each on an address of its own;
 * every message is sent to both, and the frames they get must be identical but for the address and
 * Vert.x's reply address; then both answer with the same frame, and the senders must get the same
 * outcome (body, headers, failure).
 */
class BridgeRegistrationsTest {
  private static final String GUARD = "courier.c2s.201.1";
  private static final String STOCK = "courier.c2s.201.2";

  private Vertx vertx;
  private TcpEventBusBridge stockBridge;
  private BridgeSocket guard;
  private BridgeSocket stock;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    int guardPort = FreePorts.next();
    int stockPort = FreePorts.next();
    await(
        vertx.deployVerticle(
            new BridgeVerticle(
                CourierConfig.from(
                    new JsonObject().put("bridge", new JsonObject().put("port", guardPort))))));
    stockBridge =
        TcpEventBusBridge.create(
            vertx, BridgePolicy.bridgeOptions(), new NetServerOptions().setHost("127.0.0.1"));
    await(stockBridge.listen(stockPort));
    guard = BridgeSocket.connect(guardPort);
    stock = BridgeSocket.connect(stockPort);
    register(guard, GUARD);
    register(stock, STOCK);
  }

  @AfterEach
  void stop() {
    guard.close();
    stock.close();
    await(stockBridge.close());
    await(vertx.close());
  }

  @Test
  void deliveredMessagesAreTheStockBridgesByteForByte() {
    Object[] bodies = {
      new JsonObject()
          .put("msgid", "132271570944020481")
          .put("from_uid", "driver-17")
          .put("from_appcode", 201)
          .put("msgtype", 7)
          .put("content", "lat=31.2,lng=121.5")
          .put("senddate", 1767225600789L)
          .put("logid", "3f9c2a7d1e0b4c55"),
      new JsonObject(
          "{\"s\":\"\\u0000\\u001f\\u007f\\b\\f\\n\\r\\t\\\"\\\\/\u00e9\\ud83d\\ude00\\u2028\","
              + "\"n\":1.5,\"e\":1e300,\"big\":123456789012345678901234567890,\"neg\":-0.0,"
              + "\"a\":[[],{},[null,\"\"],true,false],\"k\\u0001\\\"\\n\":1,\"\":{\"\":[]}}"),
      new JsonObject().put("unpaired", "a\ud800b\udc00c\ud83d"),
      new JsonArray().add(1).add("x").addNull(),
      "a string \u4e2d \"quoted\"",
      42,
      9223372036854775807L,
      2.5,
      true,
      Buffer.buffer("bytes"),
      new JsonObject("{\"deep\":" + "[".repeat(150) + "1" + "]".repeat(150) + "}"),
    };
    for (Object body : bodies) {
      assertSameDelivery(body, new DeliveryOptions(), "{\"type\":\"send\",\"body\":{\"code\":0}}");
    }
  }

  @Test
  void headersAndOddAnswersAreTheStockBridges() {
    JsonObject body = new JsonObject().put("msgid", "1");
    assertSameDelivery(
        body,
        new DeliveryOptions().addHeader("a", "1").addHeader("b", "\u00e9\"").addHeader("a", "3"),
        "{\"type\":\"send\",\"headers\":{\"x\":\"y\",\"z\":\"\u00e9\"},\"body\":{\"code\":0}}");
    assertSameDelivery(body, new DeliveryOptions(), "{\"type\":\"send\"}");
    assertSameDelivery(body, new DeliveryOptions(), "{\"type\":\"send\",\"body\":\"ok\"}");
    assertSameDelivery(
        body, new DeliveryOptions(), "{\"type\":\"send\",\"body\":[1,{\"a\":null}]}");
    assertSameDelivery(
        body,
        new DeliveryOptions(),
        "{\"type\":\"send\",\"headers\":{\"timeout\":100,\"localOnly\":true},\"body\":{}}");
    assertSameDelivery(body, new DeliveryOptions(), "{\"body\":{\"code\":503},\"type\":\"send\"}");
  }

  @Test
  void failuresAreTheStockBridges() {
    JsonObject body = new JsonObject().put("msgid", "2");
    assertSameDelivery(
        body,
        new DeliveryOptions(),
        "{\"type\":\"send\",\"failureCode\":42,\"message\":\"boom \u00e9\"}");
    assertSameDelivery(body, new DeliveryOptions(), "{\"type\":\"send\",\"failureCode\":-7}");
  }

  @Test
  void anAnswerThatAsksForAnAnswerIsTheStockBridges() {
    JsonObject body = new JsonObject().put("msgid", "3");
    String answer = "{\"type\":\"send\",\"replyAddress\":\"r-1\",\"body\":{\"code\":0}}";
    List<String> frames = new ArrayList<>();
    List<String> outcomes = new ArrayList<>();
    for (BridgeSocket business : List.of(guard, stock)) {
      Future<Message<Object>> sent =
          vertx.eventBus().request(business == guard ? GUARD : STOCK, body);
      JsonObject delivered = business.read("message");
      String replyAddress = delivered.getString("replyAddress");
      business.sendBody(withAddress(answer, replyAddress).getBytes(UTF_8));
      Message<Object> answered = await(sent);
      answered.reply(
          new JsonObject().put("thanks", true), new DeliveryOptions().addHeader("h", "v"));
      frames.add(new String(business.readBody(), UTF_8));
      outcomes.add(answered.body() + " " + answered.headers());
    }
    assertEquals(frames.get(1), frames.get(0));
    assertEquals(outcomes.get(1), outcomes.get(0));
  }

  @Test
  void anAnswerThatNobodyAnswersTimesOutAsOnTheStockBridge() {
    JsonObject body = new JsonObject().put("msgid", "4");
    String answer =
        "{\"type\":\"send\",\"replyAddress\":\"r-2\",\"headers\":{\"timeout\":50},\"body\":{}}";
    List<String> frames = new ArrayList<>();
    for (BridgeSocket business : List.of(guard, stock)) {
      Future<Message<Object>> sent =
          vertx.eventBus().request(business == guard ? GUARD : STOCK, body);
      String replyAddress = business.read("message").getString("replyAddress");
      business.sendBody(withAddress(answer, replyAddress).getBytes(UTF_8));
      await(sent);
      frames.add(
          new String(business.readBody(), UTF_8)
              .replaceAll("__vertx\\.reply\\.[0-9a-zA-Z-]+", "__vertx.reply.N"));
    }
    assertEquals(frames.get(1), frames.get(0));
    assertTrue(frames.get(0).contains("TIMEOUT"), frames.get(0));
  }

  @Test
  void publishedMessagesAreTheStockBridges() {
    JsonObject receipt =
        new JsonObject().put("msgid", "5").put("to_uid", "alice").put("status", "acked");
    vertx.eventBus().publish(GUARD, receipt);
    vertx.eventBus().publish(STOCK, receipt);
    assertEquals(
        new String(stock.readBody(), UTF_8).replace(STOCK, GUARD),
        new String(guard.readBody(), UTF_8));
  }

  @Test
  void unregisterIsTheStockBridges() {
    String unregister = "{\"type\":\"unregister\",\"address\":\"courier.c2s.201.9\"}";
    guard.sendBody(unregister.getBytes(UTF_8));
    stock.sendBody(unregister.getBytes(UTF_8));
    assertEquals(new String(stock.readBody(), UTF_8), new String(guard.readBody(), UTF_8));

    guard.sendBody(("{\"type\":\"unregister\",\"address\":\"" + GUARD + "\"}").getBytes(UTF_8));
    guard.roundTrip();
    AsyncResult<Message<Object>> none = outcome(vertx.eventBus().request(GUARD, "x"));
    assertEquals(
        "NO_HANDLERS", ((ReplyException) none.cause()).failureType().name(), "unregistered");
  }

  /**
   * Sends {@code body} with {@code options} to both businesses, checks their frames, lets both
   * answer with {@code answer} (a frame body without its address), and checks the senders'
   * outcomes.
   */
  private void assertSameDelivery(Object body, DeliveryOptions options, String answer) {
    Future<Message<Object>> toGuard = vertx.eventBus().request(GUARD, body, options);
    Future<Message<Object>> toStock = vertx.eventBus().request(STOCK, body, options);
    String guardFrame = new String(guard.readBody(), UTF_8);
    String stockFrame = new String(stock.readBody(), UTF_8);
    String guardReply = new JsonObject(guardFrame).getString("replyAddress");
    String stockReply = new JsonObject(stockFrame).getString("replyAddress");
    assertEquals(
        stockFrame.replace(STOCK, GUARD).replace(stockReply, guardReply), guardFrame, "delivered");

    guard.sendBody(withAddress(answer, guardReply).getBytes(UTF_8));
    stock.sendBody(withAddress(answer, stockReply).getBytes(UTF_8));
    assertEquals(describe(outcome(toStock)), describe(outcome(toGuard)), "answered");
  }

  /** {@code frame} with an {@code address} member first. */
  private static String withAddress(String frame, String address) {
    return "{\"address\":\"" + address + "\"," + frame.substring(1);
  }

  private static String describe(AsyncResult<Message<Object>> outcome) {
    if (outcome.failed()) {
      ReplyException failure = (ReplyException) outcome.cause();
      return "failed "
          + failure.failureType()
          + " "
          + failure.failureCode()
          + " "
          + failure.getMessage();
    }
    Message<Object> message = outcome.result();
    Object body = message.body();
    return (body == null ? "null" : body.getClass().getSimpleName() + " " + body)
        + " "
        + message.headers()
        + " "
        + message.replyAddress();
  }

  private static void register(BridgeSocket business, String address) {
    business.send(new JsonObject().put("type", "register").put("address", address));
    business.roundTrip();
  }

  private static <T> AsyncResult<T> outcome(Future<T> future) {
    return await(future.transform(Future::succeededFuture));
  }
}
