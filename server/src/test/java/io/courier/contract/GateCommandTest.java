package io.courier.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.contract.GateCommand.PushItem;
import io.courier.contract.GateCommand.PushResults;
import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.protocol.Code;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bodies routing and login send to the gate of another node, and its answer. */
class GateCommandTest {

  @Test
  void aKickCarriesTheKickCodeAndItsReason() {
    assertEquals(
        "{\"code\":4001,\"msg\":\"replaced\",\"op\":\"kick\",\"session\":\"n1.7\"}",
        GateCommand.kick("n1.7", Code.KICK_REPLACED).encode());
  }

  @Test
  void aPushItemCrossesNodesAsText() {
    PushItem item =
        new PushItem(
            "n1.7",
            0,
            new Message(42, Kind.S2C, "", 0, "bob", 101, 2, "lat=1", 1, "0123456789abcdef"));

    JsonObject batch = new JsonObject(GateCommand.push(List.of(item)).encode());

    assertEquals("push", batch.getString(GateCommand.OP));
    assertEquals(item, PushItem.fromJson(batch.getJsonArray("items").getJsonObject(0)));
  }

  @Test
  void pushResultsKeepTheItemOrder() {
    PushResults results = new PushResults(List.of(true, false, true));

    assertEquals("{\"results\":[true,false,true]}", results.toJson().encode());
    assertEquals(results, PushResults.fromJson(new JsonObject(results.toJson().encode())));
  }
}
