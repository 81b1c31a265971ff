package io.courier.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.protocol.Command;
import io.courier.testkit.NodeSide;
import io.courier.testkit.TestSession;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The business API through the TCP bridge of a whole node, spoken as raw bytes: what a business
 * server in any language sees.
 */
class BridgeBusinessApiTest {
  @RegisterExtension static final NodeSide node = new NodeSide();

  private static int bridgePort() {
    return node.testNode().config().getJsonObject("bridge").getInteger("port");
  }

  @Test
  void s2cThroughTheBridgeIsPushedAndReceiptsFlowBack() {
    TestSession driver = node.login("bridge-driver", 201);
    try (BridgeSocket business = BridgeSocket.connect(bridgePort())) {
      business.send(new JsonObject().put("type", "register").put("address", "courier.receipts"));
      business.roundTrip();
      business.send(
          new JsonObject()
              .put("type", "send")
              .put("address", "courier.s2c")
              .put("replyAddress", "r1")
              .put(
                  "body",
                  new JsonObject()
                      .put("to_uid", "bridge-driver")
                      .put("to_appcode", 201)
                      .put("msgtype", 3)
                      .put("content", "new order")));
      // the driver acks at once, so its acked receipt may come before or after the reply
      JsonObject reply = null;
      JsonObject acked = null;
      while (reply == null || acked == null) {
        JsonObject frame = business.read("message");
        JsonObject body = frame.getJsonObject("body");
        if ("r1".equals(frame.getString("address"))) {
          reply = body;
        } else if ("acked".equals(body.getString("status"))) {
          acked = body;
        }
      }
      assertEquals(0, reply.getInteger("code"));
      assertEquals("pushed", reply.getString("status"));
      String msgid = reply.getString("msgid");
      assertEquals(msgid, driver.nextPush().getString("msgid"));
      assertEquals(msgid, acked.getString("msgid"));
      assertEquals("bridge-driver", acked.getString("to_uid"));
      assertEquals(201, acked.getInteger("to_appcode"));
    }
  }

  @Test
  void c2sReachesABusinessConsumerRegisteredThroughTheBridge() {
    TestSession driver = node.login("bridge-gps", 201);
    try (BridgeSocket business = BridgeSocket.connect(bridgePort())) {
      business.send(new JsonObject().put("type", "register").put("address", "courier.c2s.201.11"));
      business.roundTrip();
      Future<JsonObject> answer =
          driver
              .connection()
              .request(
                  Command.C2S,
                  new JsonObject().put("msgtype", 11).put("content", "lat=31.2,lng=121.5"));
      JsonObject handed = readAddressed(business, "courier.c2s.201.11");
      assertEquals("bridge-gps", handed.getJsonObject("body").getString("from_uid"));
      assertEquals("lat=31.2,lng=121.5", handed.getJsonObject("body").getString("content"));
      business.send(
          new JsonObject()
              .put("type", "send")
              .put("address", handed.getString("replyAddress"))
              .put("body", new JsonObject().put("code", 0)));
      assertEquals(0, answer.await().getInteger("code"));
    }
  }

  @Test
  void internalAddressesAreDenied() {
    try (BridgeSocket business = BridgeSocket.connect(bridgePort())) {
      business.send(
          new JsonObject()
              .put("type", "send")
              .put("address", "courier.internal.login")
              .put("replyAddress", "r")
              .put("body", new JsonObject()));
      JsonObject err = business.read("err");
      assertEquals("access_denied", err.getString("message"));
      business.send(
          new JsonObject().put("type", "register").put("address", "courier.internal.gate.x"));
      assertEquals("access_denied", business.read("err").getString("message"));
    }
  }

  private static JsonObject readAddressed(BridgeSocket business, String address) {
    JsonObject frame;
    do {
      frame = business.read("message");
    } while (!address.equals(frame.getString("address")));
    return frame;
  }
}
