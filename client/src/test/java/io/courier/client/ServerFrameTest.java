package io.courier.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.Command;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ServerFrameTest {
  @Test
  void everyPushButOneMarkedQos0NeedsAnAck() {
    assertTrue(push("{\"msgid\":\"1\"}").needsAck());
    assertTrue(push("{\"msgid\":\"1\",\"qos\":1}").needsAck());
    assertFalse(push("{\"msgid\":\"1\",\"qos\":0}").needsAck());
    assertTrue(push("{\"msgid\":\"1\",\"qos\":\"0\"}").needsAck(), "not a number: acked as v1");
  }

  @Test
  void noOtherFrameIsAcked() {
    assertFalse(new ServerFrame(Command.KICK, 1, new JsonObject().put("qos", 1)).needsAck());
    assertFalse(new ServerFrame(Command.ERROR, 1, new JsonObject()).needsAck());
  }

  private static ServerFrame push(String body) {
    return new ServerFrame(Command.PUSH, 1, new JsonObject(body));
  }
}
