package io.courier.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the answer of {@code GET /v1/gates}, in its order. */
class GateAddressTest {

  @Test
  void readsTheGatesInTheListsOrderIgnoringOtherFields() {
    JsonObject answer =
        new JsonObject(
            "{\"gates\":[{\"node\":\"n2\",\"host\":\"10.0.0.2\",\"port\":9000,\"connections\":3,"
                + "\"updated\":1},{\"node\":\"n1\",\"host\":\"10.0.0.1\",\"port\":9001,"
                + "\"connections\":0,\"updated\":1}]}");
    assertEquals(
        List.of(new GateAddress("10.0.0.2", 9000), new GateAddress("10.0.0.1", 9001)),
        GateAddress.fromGateList(answer));
    assertEquals(List.of(), GateAddress.fromGateList(new JsonObject("{\"gates\":[]}")));
  }

  @Test
  void refusesAnAnswerThatIsNoGateList() {
    assertThrows(IllegalArgumentException.class, () -> GateAddress.fromGateList(new JsonObject()));
    assertThrows(
        IllegalArgumentException.class,
        () -> GateAddress.fromGateList(new JsonObject("{\"gates\":[{\"host\":\"h\"}]}")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            GateAddress.fromGateList(
                new JsonObject("{\"gates\":[{\"host\":\"h\",\"port\":70000}]}")));
  }
}
