package io.courier.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session request handed over as the record on one node ({@link SessionRequest#localOnly})
 * reaches its consumer as the same request as its JSON does.
 */
class SessionRequestTest {
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void theRecordAndItsJsonReachTheConsumerAsTheSameRequest() {
    EventBus eventBus = vertx.eventBus();
    List<Object> bodies = new ArrayList<>();
    List<SessionRequest> received = new ArrayList<>();
    eventBus
        .consumer(
            "session.test",
            message -> {
              bodies.add(message.body());
              received.add(SessionRequest.of(message.body()));
              message.reply(new JsonObject().put("code", 0));
            })
        .completion()
        .await();
    SessionRequest request =
        new SessionRequest(
            new SessionRef("driver-17", 201, "node-1", "s-1", 1767225600789L),
            new JsonObject()
                .put("msgtype", 7)
                .put("content", "lat=31.2,lng=121.5 \u00e9\ud83d\ude00")
                .put("cmid", "c-1")
                .put("extra", new JsonArray().add(1.5).addNull()));

    eventBus.request("session.test", request.toJson(), LOCAL).await();
    eventBus.request("session.test", request, SessionRequest.localOnly(eventBus, LOCAL)).await();

    assertEquals(request, received.get(0));
    assertEquals(received.get(0), received.get(1));
    assertTrue(bodies.get(0) instanceof JsonObject, "the JSON as before");
    assertTrue(bodies.get(1) instanceof SessionRequest, "the record, not its JSON");
  }

  @Test
  void theRecordNeverLeavesItsNode() {
    EventBus eventBus = vertx.eventBus();
    assertThrows(
        IllegalArgumentException.class,
        () -> SessionRequest.localOnly(eventBus, new DeliveryOptions()));
    assertThrows(
        UnsupportedOperationException.class,
        () -> new SessionRequest.LocalCodec().encodeToWire(null, null));
  }

  @Test
  void everyGateOfANodeMayAskForTheCodec() {
    EventBus eventBus = vertx.eventBus();
    SessionRequest.localOnly(eventBus, LOCAL);
    DeliveryOptions again = SessionRequest.localOnly(eventBus, LOCAL);
    assertEquals(SessionRequest.LOCAL_CODEC, again.getCodecName());
  }
}
