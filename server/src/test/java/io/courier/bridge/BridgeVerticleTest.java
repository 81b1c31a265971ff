package io.courier.bridge;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.courier.testkit.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The business bridge end to end: a real {@link BridgeVerticle} on a plain (NIO) Vert.x, business
 * clients that speak the wire format through {@link BridgeSocket}, and fake platform consumers
 * registered by the test on the business addresses (the real routing is not part of the bridge).
 *
 * <p>Nothing sleeps: a test waits for the frame it expects (bounded by the socket timeout), or for
 * a future (bounded by {@link #await}).
 */
class BridgeVerticleTest {
  private static final String SECRET = "s3cret-for-tests-of-at-least-32-bytes";
  private static final String C2S = Addresses.c2s(101, 5);

  private Vertx vertx;
  private int port;
  private final List<BridgeSocket> sockets = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    port = deploy(new JsonObject());
  }

  @AfterEach
  void stop() {
    sockets.forEach(BridgeSocket::close);
    await(vertx.close());
  }

  @Test
  void runsOnNioHere() {
    assertFalse(vertx.isNativeTransportEnabled(), "BridgeNativeTransportTest covers epoll");
  }

  @Test
  void s2cRequestGetsTheConsumersReplyOnItsReplyAddress() {
    Promise<JsonObject> received = Promise.promise();
    replyOn(
        Addresses.S2C,
        msg -> {
          received.tryComplete(msg.body());
          return new JsonObject().put("code", 0).put("msgid", 42).put("status", "pushed");
        });
    BridgeSocket business = connect();
    JsonObject push =
        new JsonObject()
            .put("to_uid", 7)
            .put("to_appcode", 101)
            .put("msgtype", 5)
            .put("content", "hi");

    business.send(send(Addresses.S2C, push).put("replyAddress", "biz.r1"));

    JsonObject reply = business.read("message");
    assertEquals("biz.r1", reply.getString("address"));
    assertEquals(
        new JsonObject().put("code", 0).put("msgid", 42).put("status", "pushed"),
        reply.getJsonObject("body"));
    assertEquals(push, await(received.future()));
  }

  @Test
  void s2cMultiAndPresenceRequestsGetReplies() {
    replyOn(
        Addresses.S2C_MULTI,
        msg -> new JsonObject().put("code", 0).put("results", new JsonArray()));
    replyOn(
        Addresses.PRESENCE,
        msg ->
            new JsonObject()
                .put("code", 0)
                .put(
                    "sessions",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("appcode", 101)
                                .put("uid", msg.body().getLong("uid")))));
    BridgeSocket business = connect();

    business.send(
        send(Addresses.PRESENCE, new JsonObject().put("uid", 7)).put("replyAddress", "p1"));
    JsonObject presence = business.read("message");
    assertEquals("p1", presence.getString("address"));
    assertEquals(
        7,
        presence.getJsonObject("body").getJsonArray("sessions").getJsonObject(0).getInteger("uid"));

    business.send(
        send(Addresses.S2C_MULTI, new JsonObject().put("to_uids", new JsonArray().add(1)))
            .put("replyAddress", "m1"));
    JsonObject multi = business.read("message");
    assertEquals("m1", multi.getString("address"));
    assertEquals(0, multi.getJsonObject("body").getInteger("code"));
  }

  @Test
  void requestWithoutConsumerGetsTheBridgesFailureFrame() {
    BridgeSocket business = connect();

    business.send(
        send(Addresses.PRESENCE, new JsonObject().put("uid", 7)).put("replyAddress", "p1"));

    JsonObject err = business.read("err");
    assertEquals("p1", err.getString("address"));
    assertEquals(Addresses.PRESENCE, err.getString("sourceAddress"));
    assertEquals("NO_HANDLERS", err.getString("failureType"));
  }

  @Test
  void registeredC2sConsumerGetsPlatformRequestsAndItsReplyCompletesThem() {
    BridgeSocket business = connect();
    business.send(register(C2S)).roundTrip();
    JsonObject c2s = new JsonObject().put("msgid", 9).put("from_uid", 7).put("content", "hello");

    Future<Message<JsonObject>> platform =
        vertx.eventBus().request(C2S, c2s, new DeliveryOptions().setSendTimeout(5_000));

    JsonObject delivered = business.read("message");
    assertEquals(C2S, delivered.getString("address"));
    assertEquals(c2s, delivered.getJsonObject("body"));
    assertEquals(true, delivered.getBoolean("send"));
    String replyAddress = delivered.getString("replyAddress");
    assertNotNull(replyAddress);
    business.send(send(replyAddress, new JsonObject().put("code", 0)));
    assertEquals(new JsonObject().put("code", 0), await(platform).body());
  }

  @Test
  void aReplyAddressIsPermittedOnceOnly() {
    BridgeSocket business = connect();
    business.send(register(C2S)).roundTrip();
    Future<Message<JsonObject>> platform =
        vertx.eventBus().request(C2S, new JsonObject().put("msgid", 1));
    String replyAddress = business.read("message").getString("replyAddress");

    business.send(send(replyAddress, new JsonObject().put("code", 0)));
    assertEquals(0, await(platform).body().getInteger("code"));
    business.send(send(replyAddress, new JsonObject().put("code", 0)));

    assertEquals("access_denied", business.read("err").getString("message"));
  }

  @Test
  void registeredReceiptsConsumerGetsPublishedReceipts() {
    BridgeSocket business = connect();
    business.send(register(Addresses.RECEIPTS)).roundTrip();
    JsonObject receipt =
        new JsonObject()
            .put("msgid", 9)
            .put("to_uid", 7)
            .put("to_appcode", 101)
            .put("status", "acked");

    vertx.eventBus().publish(Addresses.RECEIPTS, receipt);

    JsonObject delivered = business.read("message");
    assertEquals(Addresses.RECEIPTS, delivered.getString("address"));
    assertEquals(false, delivered.getBoolean("send"));
    assertEquals(receipt, delivered.getJsonObject("body"));
  }

  @Test
  void sendsOutsideTheApiAreDeniedAndReachNobody() {
    Promise<Object> leaked = Promise.promise();
    for (String address :
        List.of(Addresses.LOGIN, "other", C2S, Addresses.RECEIPTS, "courier.s2cx")) {
      vertx.eventBus().consumer(address, msg -> leaked.tryComplete(address));
    }
    BridgeSocket business = connect();

    for (String address :
        List.of(Addresses.LOGIN, "other", C2S, Addresses.RECEIPTS, "courier.s2cx")) {
      business.send(send(address, new JsonObject().put("uid", 1)).put("replyAddress", "r"));
      assertEquals("access_denied", business.read("err").getString("message"), address);
      business.send(send(address, new JsonObject().put("uid", 1)));
      assertEquals("access_denied", business.read("err").getString("message"), address);
    }
    business.roundTrip();

    assertFalse(leaked.future().isComplete(), () -> "delivered to " + leaked.future().result());
  }

  @Test
  void publishIsDeniedEvenToBusinessAddresses() {
    Promise<Object> leaked = Promise.promise();
    vertx.eventBus().consumer(Addresses.S2C, msg -> leaked.tryComplete(msg.body()));
    BridgeSocket business = connect();

    business.send(
        new JsonObject()
            .put("type", "publish")
            .put("address", Addresses.S2C)
            .put("body", new JsonObject()));

    assertEquals("access_denied", business.read("err").getString("message"));
    business.roundTrip();
    assertFalse(leaked.future().isComplete());
  }

  @Test
  void registersOutsideTheApiAreDenied() {
    BridgeSocket business = connect();

    for (String address :
        List.of(
            Addresses.S2C,
            Addresses.PRESENCE,
            Addresses.LOGIN,
            "other",
            "courier.c2s.",
            "courier.c2s",
            "courier.receipts.x",
            "xcourier.c2s.1.1")) {
      business.send(register(address));
      assertEquals("access_denied", business.read("err").getString("message"), address);
    }
    business.roundTrip();
  }

  @Test
  void deniedRegisterLeavesNoConsumer() {
    BridgeSocket business = connect();
    business.send(register(Addresses.LOGIN));
    assertEquals("access_denied", business.read("err").getString("message"));

    Future<Message<Object>> request = vertx.eventBus().request(Addresses.LOGIN, new JsonObject());

    assertEquals(ReplyFailure.NO_HANDLERS, failureOf(request).failureType());
  }

  @Test
  void oversizeFrameClosesThatConnectionOnly() {
    BridgeSocket other = connect();
    BridgeSocket business = connect();

    business.write(ByteBuffer.allocate(4).putInt(10 * 1024 * 1024).array());

    assertEquals(List.of(tooLarge()), business.readUntilEnd());
    other.roundTrip();
    connect().roundTrip();
  }

  @Test
  void lengthWithTheTopBitSetIsOversizeNotNegative() {
    BridgeSocket business = connect();

    business.write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0, '{', '}'});

    assertEquals(List.of(tooLarge()), business.readUntilEnd());
    connect().roundTrip();
  }

  @Test
  void frameOfExactlyTheMaximumPassesAndOneByteMoreCloses() {
    int small = deploy(new JsonObject().put("maxFrameBytes", 1024));
    BridgeSocket business = connect(small);

    business.sendBody(pingOfLength(1024));
    business.read("pong");
    business.sendBody(pingOfLength(1025));

    assertEquals(List.of(tooLarge()), business.readUntilEnd());
  }

  @Test
  void malformedFramesGetErrAndTheConnectionStaysUsable() {
    BridgeSocket business = connect();
    Object[][] cases = {
      {"{\"type\":\"bogus\"}", "unknown_type"},
      {"{\"address\":\"courier.s2c\"}", "unknown_type"},
      {"{\"type\":5}", "unknown_type"},
      {"{\"type\":null}", "unknown_type"},
      {"{\"type\":\"message\"}", "unknown_type"},
      {"{\"type\":\"PING\"}", "unknown_type"},
      {"not json", "invalid_json"},
      {"[1,2]", "invalid_json"},
      {"\"ping\"", "invalid_json"},
      {"", "invalid_json"},
      {"{\"type\":\"ping\"", "invalid_json"},
      {"{\"type\":\"ping\"} {}", "invalid_json"},
    };
    for (Object[] c : cases) {
      business.sendBody(((String) c[0]).getBytes(UTF_8));
      JsonObject err = business.read("err");
      assertEquals(c[1], err.getString("message"), (String) c[0]);
      business.roundTrip();
    }
    business.sendBody(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
    assertEquals("invalid_json", business.read("err").getString("message"));
    business.roundTrip();
  }

  @Test
  void fieldsOfTheWrongTypeGetErrInsteadOfWedgingTheBridge() {
    replyOn(
        Addresses.S2C,
        msg ->
            new JsonObject()
                .put("code", 0)
                .put("trace", msg.headers().get("trace"))
                .put("n", msg.headers().get("n")));
    BridgeSocket business = connect();
    JsonObject[] frames = {
      send(Addresses.S2C, 1).put("headers", "x"),
      send(Addresses.S2C, 1).put("headers", new JsonObject().put("trace", new JsonObject())),
      send(Addresses.S2C, 1).put("headers", new JsonObject().put("trace", (String) null)),
      send(Addresses.S2C, 1).put("headers", new JsonObject().put("timeout", "soon")),
      send(Addresses.S2C, 1).put("headers", new JsonObject().put("timeout", 0)),
      send(Addresses.S2C, 1).put("headers", new JsonObject().put("localOnly", "yes")),
      send(Addresses.S2C, 1).put("headers", new JsonObject().put("codecName", "nope")),
      send(Addresses.S2C, 1).put("replyAddress", 5),
      send(Addresses.S2C, 1).put("failureCode", "x"),
      send(Addresses.S2C, 1).put("message", 5),
      new JsonObject().put("type", "send").put("address", 5),
      new JsonObject().put("type", "register").put("address", new JsonObject()),
    };
    String[] fields = {
      "headers",
      "headers.trace",
      "headers.trace",
      "headers.timeout",
      "headers.timeout",
      "headers.localOnly",
      "headers.codecName",
      "replyAddress",
      "failureCode",
      "message",
      "address",
      "address"
    };
    for (int i = 0; i < frames.length; i++) {
      business.send(frames[i]);
      JsonObject err = business.read("err");
      assertEquals("invalid_field", err.getString("message"), frames[i].encode());
      assertEquals(fields[i], err.getString("field"), frames[i].encode());
    }
    business.send(
        send(Addresses.S2C, 1)
            .put("replyAddress", "r")
            .put(
                "headers",
                new JsonObject()
                    .put("timeout", 3000)
                    .put("localOnly", true)
                    .put("trace", "t1")
                    .put("n", 5)));
    assertEquals(
        new JsonObject().put("code", 0).put("trace", "t1").put("n", "5"),
        business.read("message").getJsonObject("body"));
  }

  @Test
  void framesWithoutAddressGetMissingAddress() {
    BridgeSocket business = connect();
    for (String type : List.of("send", "register", "unregister")) {
      business.send(new JsonObject().put("type", type));
      assertEquals("missing_address", business.read("err").getString("message"), type);
    }
    business.roundTrip();
  }

  @Test
  void errFramesComeInTheOrderOfTheFramesTheyAnswer() {
    BridgeSocket business = connect();
    ByteBuffer batch = ByteBuffer.allocate(1024);
    batch.put(BridgeSocket.frame(send("other", 1)));
    batch.put(BridgeSocket.frame("{\"type\":\"bogus\"}".getBytes(UTF_8)));
    batch.put(BridgeSocket.frame(new JsonObject().put("type", "unregister").put("address", C2S)));
    batch.put(BridgeSocket.frame(register("other")));
    batch.put(BridgeSocket.frame(new JsonObject().put("type", "publish").put("address", "x")));
    batch.put(BridgeSocket.frame(new JsonObject().put("type", "ping")));

    business.write(java.util.Arrays.copyOf(batch.array(), batch.position()));

    assertEquals("access_denied", business.read("err").getString("message"));
    assertEquals("unknown_type", business.read("err").getString("message"));
    assertEquals("unknown_address", business.read("err").getString("message"));
    assertEquals("access_denied", business.read("err").getString("message"));
    assertEquals("access_denied", business.read("err").getString("message"));
    business.read("pong");
  }

  @Test
  void framesSplitAnywhereOrCoalescedAreRead() {
    replyOn(
        Addresses.PRESENCE,
        msg -> new JsonObject().put("code", 0).put("uid", msg.body().getLong("uid")));
    BridgeSocket business = connect();
    byte[] request =
        BridgeSocket.frame(
            send(Addresses.PRESENCE, new JsonObject().put("uid", 1)).put("replyAddress", "a"));

    for (byte b : request) {
      business.write(new byte[] {b});
    }
    assertEquals(1, business.read("message").getJsonObject("body").getInteger("uid"));

    byte[] second =
        BridgeSocket.frame(
            send(Addresses.PRESENCE, new JsonObject().put("uid", 2)).put("replyAddress", "b"));
    byte[] ping = BridgeSocket.frame(new JsonObject().put("type", "ping"));
    business.write(ByteBuffer.allocate(second.length + ping.length).put(second).put(ping).array());
    business.read("pong");
    assertEquals(2, business.read("message").getJsonObject("body").getInteger("uid"));
  }

  @Test
  void aSecondRegisterIsRefusedAndClosingLeavesNoConsumerBehind() {
    BridgeSocket business = connect();
    business.send(register(C2S));
    business.send(register(C2S));
    assertEquals("already_registered", business.read("err").getString("message"));
    business.send(new JsonObject().put("type", "unregister").put("address", C2S));
    business.send(register(C2S)).roundTrip();

    business.close();

    awaitNoHandlers(C2S);
  }

  @Test
  void aBusinessThatStopsReadingIsDisconnectedWithoutReadingAnything() {
    int p = FreePorts.next();
    BridgeVerticle verticle = new BridgeVerticle(config(new JsonObject().put("port", p)));
    await(vertx.deployVerticle(verticle));
    BridgeSocket business = connect(p, 4096);
    business.send(register(Addresses.RECEIPTS)).send(register(C2S)).roundTrip();
    assertEquals(1, verticle.connections());
    String pad = "x".repeat(64 * 1024);
    int published = 256;

    for (int i = 0; i < published; i++) {
      vertx.eventBus().publish(Addresses.RECEIPTS, new JsonObject().put("i", i).put("pad", pad));
    }

    // the server closes its socket while the business still reads nothing: the queued output is
    // dropped
    awaitCondition(() -> verticle.connections() == 0, "the business socket is closed");
    awaitNoHandlers(C2S);
    List<JsonObject> received = business.readUntilEnd();
    assertTrue(received.size() < published, "received all " + received.size());
    for (int i = 0; i < received.size(); i++) {
      assertEquals(Addresses.RECEIPTS, received.get(i).getString("address"));
      assertEquals(i, received.get(i).getJsonObject("body").getInteger("i"), "in order, whole");
    }
  }

  @Test
  void aBusinessThatReadsSlowlyGetsEverything() {
    BridgeSocket business = connect(port, 4096);
    business.send(register(Addresses.RECEIPTS)).roundTrip();
    String pad = "x".repeat(1024);
    int published = 2_000;

    for (int i = 0; i < published; i++) {
      vertx.eventBus().publish(Addresses.RECEIPTS, new JsonObject().put("i", i).put("pad", pad));
    }

    for (int i = 0; i < published; i++) {
      assertEquals(i, business.read("message").getJsonObject("body").getInteger("i"));
    }
    business.roundTrip();
  }

  @Test
  void withASecretEveryFrameButPingMustCarryIt() {
    int guarded = deploy(new JsonObject().put("secret", SECRET));
    Promise<Message<JsonObject>> received = Promise.promise();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.S2C,
            msg -> {
              received.tryComplete(msg);
              msg.reply(new JsonObject().put("code", 0));
            });
    BridgeSocket business = connect(guarded);

    business.send(send(Addresses.S2C, 1).put("replyAddress", "r"));
    assertEquals("access_denied", business.read("err").getString("message"));
    business.send(send(Addresses.S2C, 1).put("replyAddress", "r").put("headers", secret("wrong")));
    assertEquals("access_denied", business.read("err").getString("message"));
    business.send(send(Addresses.S2C, 1).put("replyAddress", "r").put("headers", "x"));
    assertEquals("access_denied", business.read("err").getString("message"));
    business.send(register(C2S));
    assertEquals("access_denied", business.read("err").getString("message"));
    business.send(new JsonObject().put("type", "bogus"));
    assertEquals("unknown_type", business.read("err").getString("message"));
    business.roundTrip();
    assertFalse(received.future().isComplete());

    business.send(
        send(Addresses.S2C, 1)
            .put("replyAddress", "r")
            .put("headers", secret(SECRET).put("trace", "t1")));
    assertEquals(0, business.read("message").getJsonObject("body").getInteger("code"));
    Message<JsonObject> seen = await(received.future());
    assertEquals("t1", seen.headers().get("trace"));
    assertNull(
        seen.headers().get(FrameCheck.SECRET_HEADER),
        "the secret must not travel on the event bus");
  }

  @Test
  void withASecretRepliesToPlatformMessagesMustCarryItToo() {
    int guarded = deploy(new JsonObject().put("secret", SECRET));
    BridgeSocket business = connect(guarded);
    business.send(register(C2S).put("headers", secret(SECRET))).roundTrip();
    Future<Message<JsonObject>> platform =
        vertx.eventBus().request(C2S, new JsonObject().put("msgid", 1));
    String replyAddress = business.read("message").getString("replyAddress");

    business.send(send(replyAddress, new JsonObject().put("code", 0)));
    assertEquals("access_denied", business.read("err").getString("message"));
    business.send(
        send(replyAddress, new JsonObject().put("code", 0)).put("headers", secret(SECRET)));

    assertEquals(0, await(platform).body().getInteger("code"));
  }

  @Test
  void stopClosesThePortAndEndsTheBusinessConnectionsAndTheirConsumers() {
    int p = FreePorts.next();
    String id =
        await(vertx.deployVerticle(new BridgeVerticle(config(new JsonObject().put("port", p)))));
    BridgeSocket business = connect(p);
    business.send(register(C2S)).roundTrip();

    await(vertx.undeploy(id));

    assertEquals(List.of(), business.readUntilEnd(), "the connection ends without a frame");
    awaitNoHandlers(C2S);
    awaitCondition(
        () -> refuses(p), "port " + p + " refuses connections once the bridge has stopped");
  }

  /**
   * Polled: in full suite runs a connection was still accepted right after the undeploy had
   * completed.
   */
  private static boolean refuses(int port) {
    try (BridgeSocket accepted = BridgeSocket.connect(port)) {
      return false;
    } catch (UncheckedIOException refused) {
      return true;
    }
  }

  @Test
  void startFailsWhenThePortIsTaken() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      BridgeVerticle verticle =
          new BridgeVerticle(config(new JsonObject().put("port", taken.getLocalPort())));

      assertThrows(
          ExecutionException.class,
          () ->
              vertx
                  .deployVerticle(verticle)
                  .toCompletionStage()
                  .toCompletableFuture()
                  .get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void repliesThatArriveTogetherAreAllDelivered() {
    replyOn(
        Addresses.S2C, msg -> new JsonObject().put("code", 0).put("i", msg.body().getInteger("i")));
    BridgeSocket business = connect();
    int requests = 500;
    ByteBuffer batch = ByteBuffer.allocate(requests * 128);
    for (int i = 0; i < requests; i++) {
      batch.put(
          BridgeSocket.frame(
              send(Addresses.S2C, new JsonObject().put("i", i)).put("replyAddress", "r" + i)));
    }

    business.write(java.util.Arrays.copyOf(batch.array(), batch.position()));

    List<Integer> seen = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      JsonObject reply = business.read("message");
      assertEquals("r" + reply.getJsonObject("body").getInteger("i"), reply.getString("address"));
      seen.add(reply.getJsonObject("body").getInteger("i"));
    }
    assertEquals(
        java.util.stream.IntStream.range(0, requests).boxed().toList(),
        seen.stream().sorted().toList());
    business.roundTrip();
  }

  private int deploy(JsonObject bridge) {
    int p = FreePorts.next();
    await(vertx.deployVerticle(new BridgeVerticle(config(bridge.copy().put("port", p)))));
    return p;
  }

  private static CourierConfig config(JsonObject bridge) {
    return CourierConfig.from(new JsonObject().put("bridge", bridge));
  }

  private BridgeSocket connect() {
    return connect(port);
  }

  private BridgeSocket connect(int p) {
    return connect(p, 0);
  }

  private BridgeSocket connect(int p, int receiveBuffer) {
    BridgeSocket socket = BridgeSocket.connect(p, receiveBuffer);
    sockets.add(socket);
    return socket;
  }

  private void replyOn(
      String address, java.util.function.Function<Message<JsonObject>, JsonObject> reply) {
    MessageConsumer<JsonObject> consumer =
        vertx.eventBus().consumer(address, msg -> msg.reply(reply.apply(msg)));
    await(consumer.completion());
  }

  private static JsonObject send(String address, Object body) {
    return new JsonObject().put("type", "send").put("address", address).put("body", body);
  }

  private static JsonObject register(String address) {
    return new JsonObject().put("type", "register").put("address", address);
  }

  /** The err frame a business gets before the bridge closes on an oversize frame. */
  private static JsonObject tooLarge() {
    return new JsonObject().put("type", "err").put("message", "frame_too_large");
  }

  private static JsonObject secret(String value) {
    return new JsonObject().put(FrameCheck.SECRET_HEADER, value);
  }

  /** A ping frame body of exactly {@code length} bytes. */
  private static byte[] pingOfLength(int length) {
    String prefix = "{\"type\":\"ping\",\"pad\":\"";
    return (prefix + "x".repeat(length - prefix.length() - 2) + "\"}").getBytes(UTF_8);
  }

  /**
   * Waits until a request to {@code address} fails with NO_HANDLERS: the bridge unregisters a
   * closed connection's consumers when it sees the close, a moment after the client's. Each attempt
   * is bounded by a short timeout; a consumer left behind would make every attempt time out and the
   * test fail.
   */
  private void awaitNoHandlers(String address) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    ReplyFailure last = null;
    while (System.nanoTime() < deadline) {
      Future<Message<Object>> probe =
          vertx
              .eventBus()
              .request(address, new JsonObject(), new DeliveryOptions().setSendTimeout(500));
      last = failureOf(probe).failureType();
      if (last == ReplyFailure.NO_HANDLERS) {
        return;
      }
    }
    throw new AssertionError(
        "a consumer is still registered on " + address + "; last failure " + last);
  }

  /** Polls {@code condition} until it holds, for at most 10 s. */
  private static void awaitCondition(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static ReplyException failureOf(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (ReplyException) e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }
}
