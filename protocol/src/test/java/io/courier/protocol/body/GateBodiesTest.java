package io.courier.protocol.body;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.protocol.Code;
import org.junit.jupiter.api.Test;

/**
 * The bodies the gate writes on its own, as the bytes of protocol.md: keys in the documented order,
 * no whitespace.
 */
class GateBodiesTest {

  @Test
  void loginReplyIsTheBodyOfSection10() {
    assertEquals(
        "{\"code\":0,\"session\":\"5c1f0e9a3b7d2c41.1\",\"heartbeat\":30,"
            + "\"server_time\":1767225600123}",
        new LoginReply("5c1f0e9a3b7d2c41.1", 30, 1767225600123L).toJson().encode());
  }

  @Test
  void pingReplyCarriesTheServerTime() {
    assertEquals(
        "{\"code\":0,\"server_time\":1767225601000}",
        new PingReply(1767225601000L).toJson().encode());
  }

  @Test
  void kickBodyHasTheCodeAndItsReason() {
    assertEquals(
        "{\"code\":4001,\"msg\":\"replaced\"}", new KickBody(Code.KICK_REPLACED).toJson().encode());
    assertEquals(
        "{\"code\":4002,\"msg\":\"server shutting down\"}",
        new KickBody(Code.KICK_SHUTDOWN).toJson().encode());
    assertEquals(
        "{\"code\":4003,\"msg\":\"idle timeout\"}", new KickBody(Code.KICK_IDLE).toJson().encode());
  }
}
