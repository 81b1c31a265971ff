package io.courier.bridge;

import static io.courier.bridge.BridgeSocket.s2cSend;
import static io.courier.bridge.BridgeVerticleTest.await;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.courier.testkit.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The push requests the guard serves itself ({@link DirectSend}) against the stock bridge, byte for
 * byte: each request is sent twice on one connection, once as every client writes it (address
 * before body: served by the guard) and once with its body first (the same request, which only the
 * stock bridge serves), and both answers and what the consumer received must be identical.
 */
class BridgeDirectSendTest {
  private Vertx vertx;
  private BridgeSocket business;

  /** What the consumer on the push addresses received: the bodies, then the headers. */
  private final LinkedBlockingQueue<List<Object>> received = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    int port = FreePorts.next();
    await(
        vertx.deployVerticle(
            new BridgeVerticle(
                CourierConfig.from(
                    new JsonObject().put("bridge", new JsonObject().put("port", port))))));
    MessageConsumer<JsonObject> consumer =
        vertx.eventBus().consumer(Addresses.S2C, msg -> answer(msg, msg.body()));
    await(consumer.completion());
    business = BridgeSocket.connect(port);
  }

  @AfterEach
  void stop() {
    business.close();
    await(vertx.close());
  }

  /**
   * Answers as the request's body asks: {@code reply} (with {@code replyHeaders}), or {@code fail}.
   */
  private void answer(Message<JsonObject> msg, JsonObject body) {
    List<String> headers = new ArrayList<>();
    msg.headers().forEach(header -> headers.add(header.getKey() + "=" + header.getValue()));
    received.add(List.of(body, headers));
    if (body.containsKey("fail")) {
      JsonObject fail = body.getJsonObject("fail");
      msg.fail(fail.getInteger("code"), fail.getString("message"));
    } else if (body.containsKey("replyUnpaired")) {
      // strings no request can carry (the guard refuses them), written by the bridge as '?'
      msg.reply(
          new JsonObject()
              .put("s", "a\ud800b\udc00c\ud83d")
              .put("l", new JsonArray().add("\udfff").add(1)));
    } else if (body.containsKey("reply")) {
      DeliveryOptions options = new DeliveryOptions();
      JsonArray replyHeaders = body.getJsonArray("replyHeaders", new JsonArray());
      for (int i = 0; i < replyHeaders.size(); i++) {
        JsonArray header = replyHeaders.getJsonArray(i);
        options.addHeader(header.getString(0), header.getString(1));
      }
      msg.reply(body.getValue("reply"), options);
    }
  }

  @Test
  void repliesAreTheStockBridgesByteForByte() {
    String[] replies = {
      "{\"code\":0,\"msgid\":\"132271570944012293\",\"status\":\"pushed\"}",
      "{\"content\":\"\\u00e9\\ud83d\\ude00\\u2028\\u0001\\t\\\"\\\\/</script>\u4e2d\","
          + "\"n\":1.5,\"e\":1e300,\"big\":12345678901234,\"huge\":123456789012345678901234567890,"
          + "\"neg\":-0.0,\"arr\":[null,true,false,{\"x\":[]},[]],\"o\":{}}",
      "\"a string\"",
      "42",
      "null",
      "[1,\"x\"]",
      "{\"s\":\"\\u0000\\u001f\\u007f\\b\\f\\n\\r\\t\\\"\\\\/\u00e9\\ud83d\\ude00\\u2028\\u00ff\","
          + "\"i\":-2147483648,\"l\":9223372036854775807,\"m\":-9223372036854775808,\"t\":true,"
          + "\"f\":false,\"z\":null,\"a\":[[],{},[null,\"\"]],\"k\\u0001\\\"\\n\":1,\"\":{\"\":[]}}",
      "[".repeat(150) + "1" + "]".repeat(150),
      "{\"results\":[{\"to_uid\":\"u1\",\"msgid\":\"1\",\"status\":\"pushed\"},"
          + "{\"to_uid\":\"u2\",\"msgid\":\"2\",\"status\":\"dropped\"}],\"code\":0}",
    };
    for (String reply : replies) {
      assertSameAnswer("r-1", "{\"to_uid\":\"u\",\"reply\":" + reply + "}", null);
    }
  }

  @Test
  void unpairedSurrogatesInAnAnswerAreTheStockBridgesByteForByte() {
    assertSameAnswer("r-u", "{\"replyUnpaired\":true}", null);
  }

  @Test
  void replyHeadersAndOddReplyAddressesAreTheStockBridgesByteForByte() {
    assertSameAnswer(
        "r-\\ud83d\\ude00\\\"\\\\\u00e9\\n",
        "{\"reply\":{\"code\":0},\"replyHeaders\":[[\"a\",\"1\"],[\"b\",\"\u00e9\"],[\"a\",\"3\"]]}",
        null);
    assertSameAnswer("", "{\"reply\":{\"code\":0}}", null);
  }

  @Test
  void requestHeadersReachTheConsumerAsFromTheStockBridge() {
    assertSameAnswer(
        "r-2",
        "{\"reply\":{\"code\":0}}",
        "{\"trace\":\"t\u00e9\",\"timeout\":5000,\"localOnly\":false,\"z\":\"last\"}");
  }

  @Test
  void failuresAreTheStockBridgesByteForByte() {
    assertSameAnswer(
        "r-3", "{\"fail\":{\"code\":42,\"message\":\"boom \u00e9\\ud83d\\ude00\"}}", null);
    assertSameAnswer("r-4", "{\"fail\":{\"code\":-7}}", null);
  }

  @Test
  void aTimeoutIsTheStockBridgesButForTheInternalReplyAddress() {
    byte[] direct = business.ask(s2cSend(true, "r-5", "{\"no\":\"answer\"}", "{\"timeout\":50}"));
    byte[] stock = business.ask(s2cSend(false, "r-5", "{\"no\":\"answer\"}", "{\"timeout\":50}"));

    assertEquals(withoutReplyNumber(stock), withoutReplyNumber(direct));
    assertEquals("TIMEOUT", new JsonObject(new String(direct, UTF_8)).getString("failureType"));
  }

  @Test
  void noHandlersIsTheStockBridgesByteForByte() {
    String frame =
        "{\"type\":\"send\",\"address\":\"courier.s2c.multi\",\"replyAddress\":\"m\",\"body\":{}}";
    String bodyFirst =
        "{\"type\":\"send\",\"body\":{},\"replyAddress\":\"m\",\"address\":\"courier.s2c.multi\"}";

    byte[] direct = business.ask(frame);
    byte[] stock = business.ask(bodyFirst);

    assertEquals(new String(stock, UTF_8), new String(direct, UTF_8));
    assertEquals("NO_HANDLERS", new JsonObject(new String(direct, UTF_8)).getString("failureType"));
  }

  /**
   * Sends the request both ways and checks that the consumer got the same body and headers and the
   * business the same bytes.
   */
  private void assertSameAnswer(String replyAddress, String body, String headers) {
    byte[] direct = business.ask(s2cSend(true, replyAddress, body, headers));
    List<Object> directReceived = take();
    byte[] stock = business.ask(s2cSend(false, replyAddress, body, headers));
    List<Object> stockReceived = take();

    assertEquals(new String(stock, UTF_8), new String(direct, UTF_8));
    assertEquals(List.of(stock.length), List.of(direct.length));
    assertEquals(stockReceived, directReceived);
    assertEquals(
        ((JsonObject) stockReceived.get(0)).getMap().toString(),
        ((JsonObject) directReceived.get(0)).getMap().toString());
  }

  private List<Object> take() {
    try {
      List<Object> next = received.poll(10, TimeUnit.SECONDS);
      if (next == null) {
        throw new AssertionError("the consumer got no request");
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
