package io.courier.bridge;

import static io.courier.bridge.BridgeVerticleTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.courier.testkit.FreePorts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Businesses on the bridge end to end: a real {@link BridgeVerticle} configured with two businesses
 * and the shared secret, business clients speaking the wire format through {@link BridgeSocket},
 * and fake platform consumers registered by the test. One test per rule of docs/event-bus.md
 * section 8.10; nothing sleeps but the pinging client of the idle test, whose pings are the
 * behaviour under test.
 */
class BridgeBusinessesTest {
  private static final String DISPATCH = "dispatch-secret-0123456789abcdef-xyz";
  private static final String DRIVERS = "drivers-secret-0123456789abcdef-xyz";
  private static final String SHARED = "shared-secret-0123456789abcdef-xyzw";

  private Vertx vertx;
  private MeterRegistry registry;
  private final List<BridgeSocket> sockets = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void stop() {
    sockets.forEach(BridgeSocket::close);
    await(vertx.close());
  }

  /**
   * {@code dispatch} pushes to the user apps 101-103 and takes their C2S messages of appcode 101;
   * {@code drivers} pushes to and reads the presence of the driver app 201; both follow receipts.
   */
  private static JsonObject businesses() {
    return new JsonObject()
        .put(
            "dispatch",
            new JsonObject()
                .put("secret", DISPATCH)
                .put("appcodes", new JsonArray().add("101-103"))
                .put("send", new JsonArray().add("courier.s2c*"))
                .put("register", new JsonArray().add("courier.c2s.101.*").add("courier.receipts")))
        .put(
            "drivers",
            new JsonObject()
                .put("secret", DRIVERS)
                .put("appcodes", new JsonArray().add(201))
                .put("send", new JsonArray().add("courier.s2c").add("courier.presence"))
                .put("register", new JsonArray().add("courier.receipts")));
  }

  /** A bridge with the two businesses, the shared secret and {@code more} settings. */
  private int deploy(JsonObject more) {
    int port = FreePorts.next();
    JsonObject bridge =
        new JsonObject()
            .put("port", port)
            .put("secret", SHARED)
            .put("businesses", businesses())
            .mergeIn(more);
    await(
        vertx.deployVerticle(
            new BridgeVerticle(
                CourierConfig.from(new JsonObject().put("bridge", bridge)), registry)));
    return port;
  }

  private int deploy() {
    return deploy(new JsonObject());
  }

  @Test
  void aBusinessSendsOnlyWhereItsPatternsAllowAndForItsAppcodes() {
    List<JsonObject> pushed = new CopyOnWriteArrayList<>();
    replyOn(
        Addresses.S2C,
        msg -> {
          pushed.add(msg.body());
          return new JsonObject().put("code", 0).put("status", "pushed");
        });
    replyOn(Addresses.S2C_MULTI, msg -> new JsonObject().put("code", 0));
    BridgeSocket dispatch = connect(deploy());

    dispatch.send(request(Addresses.S2C, push(101), DISPATCH, "r1"));
    assertEquals("pushed", dispatch.read("message").getJsonObject("body").getString("status"));
    dispatch.send(request(Addresses.S2C_MULTI, push(103), DISPATCH, "r2"));
    assertEquals("r2", dispatch.read("message").getString("address"));

    dispatch.send(request(Addresses.S2C, push(201), DISPATCH, "r3"));
    assertEquals(denied("appcodes").put("field", "body.to_appcode"), dispatch.read("err"));
    dispatch.send(request(Addresses.S2C, push(null), DISPATCH, "r4"));
    assertEquals(denied("appcodes").put("field", "body.to_appcode"), dispatch.read("err"));
    dispatch.send(request(Addresses.PRESENCE, new JsonObject().put("uid", "u"), DISPATCH, "r5"));
    assertEquals(denied("send"), dispatch.read("err"));
    dispatch.send(request(Addresses.ADMIN_KICK, new JsonObject().put("uid", "u"), DISPATCH, "r6"));
    assertEquals(denied("api"), dispatch.read("err"));
    dispatch.roundTrip();

    assertEquals(List.of(push(101)), pushed, "refused requests reach nobody");
    assertEquals(2.0, refused("dispatch", "access_denied", "appcodes"));
    assertEquals(1.0, refused("dispatch", "access_denied", "send"));
    assertEquals(1.0, refused("dispatch", "access_denied", "api"));
  }

  @Test
  void aBusinessRegistersOnlyWhatItsPatternsAllowForItsAppcodes() {
    BridgeSocket dispatch = connect(deploy());

    dispatch.send(register("courier.c2s.101.7", DISPATCH)).roundTrip();
    Future<Message<JsonObject>> c2s =
        vertx
            .eventBus()
            .request("courier.c2s.101.7", new JsonObject().put("msgid", "1"), timeout());
    String replyAddress = dispatch.read("message").getString("replyAddress");
    dispatch.send(request(replyAddress, new JsonObject().put("code", 0), DISPATCH, null));
    assertEquals(0, await(c2s).body().getInteger("code"));

    dispatch.send(register("courier.c2s.102.7", DISPATCH));
    assertEquals(denied("register"), dispatch.read("err"));
    dispatch.send(register(Addresses.S2C, DISPATCH));
    assertEquals(denied("api"), dispatch.read("err"));
    dispatch.send(register("courier.c2s.102.7", DISPATCH).put("type", "unregister"));
    assertEquals(denied("register"), dispatch.read("err"));
    dispatch.roundTrip();
    assertEquals(
        ReplyFailure.NO_HANDLERS,
        failureOf(vertx.eventBus().request("courier.c2s.102.7", new JsonObject())).failureType());
  }

  @Test
  void aConnectionMayHoldOnlySoManyRegistrations() {
    int port = deploy(new JsonObject().put("maxRegistrations", 2));
    BridgeSocket dispatch = connect(port);

    dispatch.send(register("courier.c2s.101.1", DISPATCH));
    dispatch.send(register("courier.c2s.101.2", DISPATCH));
    dispatch.send(register("courier.c2s.101.3", DISPATCH));
    assertEquals(
        new JsonObject()
            .put("type", "err")
            .put("message", "too_many_registrations")
            .put("rule", "max_registrations"),
        dispatch.read("err"));
    dispatch.roundTrip();
    assertEquals(
        ReplyFailure.NO_HANDLERS,
        failureOf(vertx.eventBus().request("courier.c2s.101.3", new JsonObject(), timeout()))
            .failureType(),
        "a refused register leaves no consumer");

    dispatch.send(register("courier.c2s.101.1", DISPATCH).put("type", "unregister"));
    dispatch.send(register("courier.c2s.101.3", DISPATCH)).roundTrip();
    connect(port).send(register("courier.c2s.101.1", DISPATCH)).roundTrip();
    assertEquals(1.0, refused("dispatch", "too_many_registrations", "max_registrations"));
  }

  @Test
  void aSilentConnectionIsClosedNamingTheRuleAndAPingingOneIsNot() throws InterruptedException {
    int port = deploy(new JsonObject().put("idleSeconds", 1));
    BridgeSocket pinging = connect(port);
    BridgeSocket silent = connect(port);
    silent.send(register("courier.c2s.101.9", DISPATCH)).roundTrip();

    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
    while (System.nanoTime() < end) {
      pinging.roundTrip();
      Thread.sleep(250);
    }

    assertEquals(
        List.of(
            new JsonObject().put("type", "err").put("message", "idle_timeout").put("rule", "idle")),
        silent.readUntilEnd());
    pinging.roundTrip();
    assertEquals(1.0, refused("dispatch", "idle_timeout", "idle"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    ReplyFailure failure;
    do {
      failure =
          failureOf(vertx.eventBus().request("courier.c2s.101.9", new JsonObject(), timeout()))
              .failureType();
    } while (failure != ReplyFailure.NO_HANDLERS && System.nanoTime() < deadline);
    assertEquals(ReplyFailure.NO_HANDLERS, failure, "the closed connection's consumer is gone");
  }

  @Test
  void receiptsReachEachBusinessForItsOwnAppcodesOnly() {
    int port = deploy();
    BridgeSocket dispatch = connect(port);
    BridgeSocket drivers = connect(port);
    BridgeSocket shared = connect(port);
    dispatch.send(register(Addresses.RECEIPTS, DISPATCH)).roundTrip();
    drivers.send(register(Addresses.RECEIPTS, DRIVERS)).roundTrip();
    shared.send(register(Addresses.RECEIPTS, SHARED)).roundTrip();

    int[] appcodes = {101, 201, 102, 301, 103, 201};
    for (int i = 0; i < appcodes.length; i++) {
      vertx.eventBus().publish(Addresses.RECEIPTS, receipt("m" + i, appcodes[i]));
    }

    assertEquals(List.of("m0", "m2", "m4"), receipts(dispatch, "m4"));
    assertEquals(List.of("m1", "m5"), receipts(drivers, "m5"));
    assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5"), receipts(shared, "m5"));
  }

  @Test
  void presenceShowsABusinessOnlyTheSessionsOfItsAppcodes() {
    JsonArray sessions =
        new JsonArray()
            .add(new JsonObject().put("appcode", 101).put("node", "n1").put("since", 1))
            .add(new JsonObject().put("appcode", 201).put("node", "n2").put("since", 2));
    replyOn(Addresses.PRESENCE, msg -> new JsonObject().put("code", 0).put("sessions", sessions));
    int port = deploy();
    BridgeSocket drivers = connect(port);
    BridgeSocket shared = connect(port);

    drivers.send(request(Addresses.PRESENCE, new JsonObject().put("uid", "u"), DRIVERS, "p"));
    shared.send(request(Addresses.PRESENCE, new JsonObject().put("uid", "u"), SHARED, "p"));

    assertEquals(
        new JsonArray().add(sessions.getJsonObject(1)),
        drivers.read("message").getJsonObject("body").getJsonArray("sessions"));
    assertEquals(sessions, shared.read("message").getJsonObject("body").getJsonArray("sessions"));
  }

  @Test
  void theSharedSecretStillDoesEverythingTheApiAllows() {
    replyOn(Addresses.S2C, msg -> new JsonObject().put("code", 0));
    replyOn(Addresses.PRESENCE, msg -> new JsonObject().put("code", 0));
    BridgeSocket shared = connect(deploy());

    shared.send(request(Addresses.S2C, push(301), SHARED, "a"));
    assertEquals("a", shared.read("message").getString("address"));
    shared.send(request(Addresses.S2C, new JsonObject(), SHARED, "b"));
    assertEquals("b", shared.read("message").getString("address"), "routing judges the body");
    shared.send(request(Addresses.PRESENCE, new JsonObject(), SHARED, "c"));
    assertEquals("c", shared.read("message").getString("address"));
    shared.send(register("courier.c2s.999.1", SHARED));
    shared.send(register(Addresses.RECEIPTS, SHARED)).roundTrip();
    shared.send(register(Addresses.LOGIN, SHARED));
    assertEquals(denied("api"), shared.read("err"));
  }

  @Test
  void aConnectionActsForOneBusinessAndNeedsItsSecret() {
    replyOn(Addresses.S2C, msg -> new JsonObject().put("code", 0));
    BridgeSocket business = connect(deploy());

    business.send(request(Addresses.S2C, push(201), null, "a"));
    assertEquals(denied("credentials"), business.read("err"));
    business.send(request(Addresses.S2C, push(201), "a-guess-0123456789abcdef-0123456789", "b"));
    assertEquals(denied("credentials"), business.read("err"));
    business.send(request(Addresses.S2C, push(201), DRIVERS, "c"));
    assertEquals("c", business.read("message").getString("address"));
    business.send(request(Addresses.S2C, push(101), DISPATCH, "d"));
    assertEquals(denied("credentials"), business.read("err"));
    business.send(request(Addresses.S2C, push(201), SHARED, "e"));
    assertEquals(denied("credentials"), business.read("err"));
    business.roundTrip();

    assertEquals(2.0, refused("none", "access_denied", "credentials"));
    assertEquals(2.0, refused("drivers", "access_denied", "credentials"));
  }

  @Test
  void aReplyToNoMessageOfThisConnectionNamesTheReplyRule() {
    int port = deploy();
    BridgeSocket dispatch = connect(port);
    dispatch.send(register("courier.c2s.101.7", DISPATCH)).roundTrip();
    Future<Message<JsonObject>> c2s =
        vertx.eventBus().request("courier.c2s.101.7", new JsonObject(), timeout());
    String replyAddress = dispatch.read("message").getString("replyAddress");

    BridgeSocket other = connect(port);
    other.send(request(replyAddress, new JsonObject().put("code", 0), DISPATCH, null));
    assertEquals(denied("reply"), other.read("err"));
    dispatch.send(request(replyAddress, new JsonObject().put("code", 0), DISPATCH, null));
    assertEquals(0, await(c2s).body().getInteger("code"));
    dispatch.send(request(replyAddress, new JsonObject().put("code", 0), DISPATCH, null));
    assertEquals(denied("reply"), dispatch.read("err"));
  }

  private double refused(String business, String error, String rule) {
    Counter counter =
        registry
            .find(BridgeMetrics.REFUSED)
            .tags("business", business, "error", error, "rule", rule)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  /** Reads receipts until the one of {@code last}; their msgids. */
  private static List<String> receipts(BridgeSocket business, String last) {
    List<String> msgids = new ArrayList<>();
    String msgid;
    do {
      JsonObject frame = business.read("message");
      assertEquals(Addresses.RECEIPTS, frame.getString("address"));
      msgid = frame.getJsonObject("body").getString("msgid");
      msgids.add(msgid);
    } while (!msgid.equals(last));
    return msgids;
  }

  private static JsonObject receipt(String msgid, int appcode) {
    return new JsonObject()
        .put("msgid", msgid)
        .put("to_uid", "u")
        .put("to_appcode", appcode)
        .put("status", "pushed")
        .put("ts", 1);
  }

  private static JsonObject push(Integer appcode) {
    JsonObject push = new JsonObject().put("to_uid", "u").put("msgtype", 1).put("content", "c");
    return appcode == null ? push : push.put("to_appcode", appcode);
  }

  private static JsonObject denied(String rule) {
    return new JsonObject().put("type", "err").put("message", "access_denied").put("rule", rule);
  }

  private static JsonObject request(
      String address, JsonObject body, String secret, String replyAddress) {
    JsonObject frame =
        new JsonObject().put("type", "send").put("address", address).put("body", body);
    if (secret != null) {
      frame.put("headers", new JsonObject().put(FrameCheck.SECRET_HEADER, secret));
    }
    return replyAddress == null ? frame : frame.put("replyAddress", replyAddress);
  }

  private static JsonObject register(String address, String secret) {
    return new JsonObject()
        .put("type", "register")
        .put("address", address)
        .put("headers", new JsonObject().put(FrameCheck.SECRET_HEADER, secret));
  }

  private static DeliveryOptions timeout() {
    return new DeliveryOptions().setSendTimeout(2_000);
  }

  private BridgeSocket connect(int port) {
    BridgeSocket socket = BridgeSocket.connect(port);
    sockets.add(socket);
    return socket;
  }

  private void replyOn(
      String address, java.util.function.Function<Message<JsonObject>, JsonObject> reply) {
    MessageConsumer<JsonObject> consumer =
        vertx.eventBus().consumer(address, msg -> msg.reply(reply.apply(msg)));
    await(consumer.completion());
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
}
