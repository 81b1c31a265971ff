package io.courier.bridge;

import static io.courier.bridge.BridgeVerticleTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge on native epoll, as in production: the business socket is then Netty's epoll channel,
 * whose output the guard writes as direct buffers (BridgeVerticleTest runs on NIO).
 */
class BridgeNativeTransportTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  void worksOverEpoll() throws IOException {
    assertTrue(
        vertx.isNativeTransportEnabled(), "netty-transport-native-epoll is on the classpath");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    BridgeVerticle verticle =
        new BridgeVerticle(
            CourierConfig.from(new JsonObject().put("bridge", new JsonObject().put("port", port))));
    String id = await(vertx.deployVerticle(verticle));
    vertx
        .eventBus()
        .<JsonObject>consumer(Addresses.S2C, msg -> msg.reply(new JsonObject().put("code", 0)));

    try (BridgeSocket business = BridgeSocket.connect(port)) {
      business.roundTrip();
      business.send(
          new JsonObject()
              .put("type", "send")
              .put("address", Addresses.S2C)
              .put("replyAddress", "r")
              .put("body", new JsonObject().put("to_uid", 1)));
      assertEquals(0, business.read("message").getJsonObject("body").getInteger("code"));

      business
          .send(new JsonObject().put("type", "register").put("address", Addresses.c2s(1, 2)))
          .roundTrip();
      Future<Message<JsonObject>> platform =
          vertx.eventBus().request(Addresses.c2s(1, 2), new JsonObject());
      String replyAddress = business.read("message").getString("replyAddress");
      business.send(
          new JsonObject()
              .put("type", "send")
              .put("address", replyAddress)
              .put("body", new JsonObject().put("code", 0)));
      assertEquals(0, await(platform).body().getInteger("code"));

      business.send(new JsonObject().put("type", "bogus"));
      assertEquals("unknown_type", business.read("err").getString("message"));
      business.roundTrip();
    }

    await(vertx.undeploy(id));
    int closed = port;
    assertThrows(UncheckedIOException.class, () -> BridgeSocket.connect(closed));
  }
}
