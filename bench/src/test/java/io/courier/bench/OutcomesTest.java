package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class OutcomesTest {

  @Test
  void countsCodesOtherThanZeroAndFailuresByKind() {
    Outcomes outcomes = new Outcomes();
    outcomes.response(new JsonObject().put("code", 0));
    outcomes.response(new JsonObject().put("code", 429));
    outcomes.response(new JsonObject().put("code", 429));
    outcomes.response(new JsonObject().put("code", 503));
    outcomes.response(new JsonObject());
    outcomes.failure(new TimeoutException("late"));
    outcomes.failure(new IllegalStateException("connection closed"));
    outcomes.failure(new BridgeClient.BridgeFailure("NO_HANDLERS", "none"));

    assertEquals(7, outcomes.total());
    assertEquals(
        new JsonObject()
            .put("429", 2L)
            .put("500", 1L)
            .put("503", 1L)
            .put("NO_HANDLERS", 1L)
            .put("closed", 1L)
            .put("timeout", 1L),
        outcomes.toJson());
    assertEquals("429: 2, 500: 1, 503: 1, NO_HANDLERS: 1, closed: 1, timeout: 1", outcomes.text());
  }

  @Test
  void sortsCodesNumerically() {
    Outcomes outcomes = new Outcomes();
    outcomes.count("4001");
    outcomes.count("504");
    assertEquals("504: 1, 4001: 1", outcomes.text());
    assertEquals("none", new Outcomes().text());
  }
}
