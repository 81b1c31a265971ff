package io.courier.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.Addresses;
import io.courier.testkit.NodeSide;
import io.courier.testkit.TestSession;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The quotas on one node, end to end (docs/security.md, "Quotas and retention"): a receiver may
 * have 3 offline messages waiting, and a sender may send 5 C2C at once, then 1 per second.
 */
class QuotaTest {
  private static final int CAP = 3;
  private static final int C2C_BURST = 5;

  @RegisterExtension
  static final NodeSide node =
      new NodeSide(
          new JsonObject()
              .put("store", new JsonObject().put("offlineMaxPerUser", CAP))
              .put("gate", new JsonObject().put("c2cRatePerSender", 1).put("c2cBurst", C2C_BURST)));

  @Test
  void c2cBeyondTheReceiversCapIs429AndEverythingAcceptedIsPulled() {
    TestSession alice = node.login("quota-alice", 101);
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < CAP; i++) {
      JsonObject answer = alice.c2c("quota-bob", 101, "m" + i, "message " + i);
      assertEquals(0, answer.getInteger("code"), answer.encode());
      accepted.add(answer.getString("msgid"));
    }

    JsonObject refused = alice.c2c("quota-bob", 101, "m-over", "one too many");
    JsonObject s2c =
        node.vertx()
            .eventBus()
            .<JsonObject>request(
                Addresses.S2C,
                new JsonObject()
                    .put("to_uid", "quota-bob")
                    .put("to_appcode", 101)
                    .put("msgtype", 1)
                    .put("content", "order"))
            .await()
            .body();
    JsonObject resend = alice.c2c("quota-bob", 101, "m0", "message 0");

    assertEquals(new JsonObject().put("code", 429).put("msg", Routing.RECEIVER_FULL), refused);
    assertEquals(
        new JsonObject()
            .put("code", 429)
            .put("msg", Routing.RECEIVER_FULL)
            .put("to_uid", "quota-bob"),
        s2c);
    assertEquals(accepted.get(0), resend.getString("msgid"), "a resend is answered as before");
    TestSession bob = node.login("quota-bob", 101);
    JsonObject page = bob.pull(null, null);
    assertEquals(accepted, msgids(page));

    bob.offlineAck(accepted.get(CAP - 1));
    JsonObject afterAck =
        node.login("quota-erin", 101).c2c("quota-bob", 101, "m-later", "room again");
    assertEquals(0, afterAck.getInteger("code"), afterAck.encode());
  }

  @Test
  void c2cBeyondTheSendersBurstIs429() {
    TestSession sender = node.login("rate-carol", 101);
    List<Integer> codes = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      codes.add(sender.c2c("rate-dave-" + i, 101, "r" + i, "hi").getInteger("code"));
    }
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;

    assertEquals(List.of(0, 0, 0, 0, 0), codes.subList(0, C2C_BURST), "a full bucket");
    long accepted = codes.stream().filter(code -> code == 0).count();
    assertEquals(
        20 - accepted, codes.stream().filter(code -> code == 429).count(), codes::toString);
    assertTrue(
        accepted <= C2C_BURST + seconds + 1,
        accepted + " accepted in " + seconds + " s at 1 per second: " + codes);
  }

  private static List<String> msgids(JsonObject page) {
    List<String> msgids = new ArrayList<>();
    JsonArray msgs = page.getJsonArray("msgs");
    for (int i = 0; i < msgs.size(); i++) {
      msgids.add(msgs.getJsonObject(i).getString("msgid"));
    }
    return msgids;
  }
}
