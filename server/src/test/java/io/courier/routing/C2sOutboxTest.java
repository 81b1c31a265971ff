package io.courier.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.Addresses;
import io.courier.protocol.Command;
import io.courier.testkit.NodeSide;
import io.courier.testkit.TestSession;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * C2S that is not lost (event-bus.md 6), end to end with the Java client on one node with the
 * embedded store: qos-1 C2S without consumer are stored and reach the first consumer in order, with
 * a receipt; a resend of a stored one with its cmid is not a second message; the cap per sender
 * refuses with 429.
 */
class C2sOutboxTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final NodeSide node =
      new NodeSide(
          new JsonObject()
              .put(
                  "routing",
                  new JsonObject().put("c2sTimeoutMs", 300).put("c2sOutboxMaxPerSender", 4)));

  @Test
  void storedC2sReachTheFirstConsumerInOrderOnceEachWithAReceipt() {
    TestSession driver = node.login("outbox-driver", 201);
    List<JsonObject> receipts = new CopyOnWriteArrayList<>();
    node.<JsonObject>consumer(Addresses.RECEIPTS, message -> receipts.add(message.body()));

    List<String> sent = new ArrayList<>();
    for (String cmid : List.of("a", "b", "c")) {
      JsonObject answer = c2s(driver, 31, cmid);
      assertEquals(0, answer.getInteger("code"), answer.encode());
      assertEquals("stored", answer.getString("status"), answer.encode());
      sent.add(answer.getString("msgid"));
    }
    JsonObject resend = c2s(driver, 31, "b");
    assertEquals("stored", resend.getString("status"), resend.encode());
    assertEquals(sent.get(1), resend.getString("msgid"));

    List<JsonObject> handed = new CopyOnWriteArrayList<>();
    node.<JsonObject>consumer(
        "courier.c2s.201.31",
        message -> {
          handed.add(message.body());
          message.reply(new JsonObject().put("code", 0));
        });
    awaitTrue(() -> handed.size() >= 3, "the stored messages reach the consumer");
    JsonObject later = c2s(driver, 31, "d");
    assertEquals("handed", later.getString("status"), later.encode());
    sent.add(later.getString("msgid"));

    assertEquals(sent, handed.stream().map(m -> m.getString("msgid")).toList());
    assertEquals(
        List.of("a", "b", "c", "d"), handed.stream().map(m -> m.getString("content")).toList());
    awaitTrue(
        () -> receipts.stream().filter(r -> "handed".equals(r.getString("status"))).count() >= 3,
        "a handed receipt per stored message");
    assertEquals(
        sent.subList(0, 3),
        receipts.stream()
            .filter(r -> "handed".equals(r.getString("status")))
            .map(r -> r.getString("msgid"))
            .toList());
  }

  @Test
  void aSenderWithTheCapWaitingIsRefused429() {
    TestSession driver = node.login("outbox-full", 201);
    for (String cmid : List.of("1", "2", "3", "4")) {
      assertEquals("stored", c2s(driver, 32, cmid).getString("status"));
    }

    JsonObject refused = c2s(driver, 32, "5");

    assertEquals(429, refused.getInteger("code"), refused.encode());
    assertEquals(Routing.C2S_OUTBOX_FULL, refused.getString("msg"));
  }

  @Test
  void aC2sWithoutCmidOrQosIsAnsweredAsBefore() {
    TestSession driver = node.login("outbox-plain", 201);
    JsonObject answer =
        driver.request(Command.C2S, new JsonObject().put("msgtype", 33).put("content", "gps"));

    assertEquals(503, answer.getInteger("code"), answer.encode());
    assertTrue(answer.containsKey("msgid"));
  }

  private static JsonObject c2s(TestSession driver, int msgtype, String cmid) {
    return driver.request(
        Command.C2S,
        new JsonObject()
            .put("msgtype", msgtype)
            .put("content", cmid)
            .put("cmid", cmid)
            .put("qos", 1));
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
