package io.courier.protocol.body;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.protocol.Code;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The LOGIN refusal as protocol.md 9.1 shows it, and how a client reads it. */
class LoginRefusalTest {

  @Test
  void a503CarriesRetryAfterAfterCodeAndMsg() {
    assertEquals(
        "{\"code\":503,\"msg\":\"presence store unavailable\",\"retry_after\":2750}",
        new LoginRefusal(Result.error(Code.UNAVAILABLE, "presence store unavailable"), 2750L)
            .toJson()
            .encode());
  }

  @Test
  void aRefusalWithoutHintIsPlainCodeAndMsg() {
    assertEquals(
        "{\"code\":504,\"msg\":\"timed out, retry later\"}",
        new LoginRefusal(Result.error(Code.TIMEOUT, null), null).toJson().encode());
  }

  @Test
  void readsTheHintAndItsAbsence() throws MalformedBodyException {
    LoginRefusal hinted =
        LoginRefusal.fromJson(new JsonObject("{\"code\":503,\"msg\":\"x\",\"retry_after\":1200}"));
    assertEquals(Code.UNAVAILABLE, hinted.result().code());
    assertEquals(1200L, hinted.retryAfterMs());
    assertNull(
        LoginRefusal.fromJson(new JsonObject("{\"code\":503,\"msg\":\"x\"}")).retryAfterMs());
    assertNull(
        LoginRefusal.fromJson(new JsonObject("{\"code\":503,\"retry_after\":null}")).retryAfterMs(),
        "null is the same as absent");
  }

  @Test
  void refusesAMalformedHintOrASuccess() {
    assertThrows(
        MalformedBodyException.class,
        () -> LoginRefusal.fromJson(new JsonObject("{\"code\":503,\"retry_after\":\"1s\"}")));
    assertThrows(
        MalformedBodyException.class,
        () -> LoginRefusal.fromJson(new JsonObject("{\"code\":503,\"retry_after\":1.5}")));
    assertThrows(
        MalformedBodyException.class,
        () -> LoginRefusal.fromJson(new JsonObject("{\"code\":503,\"retry_after\":-1}")));
    assertThrows(
        MalformedBodyException.class, () -> LoginRefusal.fromJson(new JsonObject("{\"code\":0}")));
  }
}
