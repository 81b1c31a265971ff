package io.courier.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.testkit.TestSession;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A provider that accepts requests and never answers, on a node whose notification queue holds two:
 * the notifications wait or overflow (counted), while live delivery and every business answer go on
 * as if there were no push at all.
 */
class PushOverloadTest {
  private static final int OFFLINE_RECEIVERS = 12;
  private static PushNodes nodes;

  @BeforeAll
  static void start() {
    nodes =
        new PushNodes(
            new JsonObject()
                .put("queueSize", 2)
                .put("collapseSeconds", 0)
                .put("requestTimeoutMs", 600_000),
            new JsonObject());
    for (int i = 0; i < OFFLINE_RECEIVERS; i++) {
      nodes.registeredOffline("down-" + i, "webhook", "hook-down-" + i);
    }
  }

  @AfterAll
  static void stop() {
    nodes.close();
  }

  @Test
  void aProviderThatNeverAnswersDelaysNoLiveDeliveryNorAnyAnswerAndTheOverflowIsCounted() {
    nodes.hook.hang(true);
    TestSession live = TestSession.login(nodes.client, nodes.node, nodes.tokens, "up-1", 101);

    for (int i = 0; i < OFFLINE_RECEIVERS; i++) {
      assertEquals("stored", nodes.s2c("down-" + i, "log-down-" + i + "-aa").getString("status"));
    }
    JsonObject pushed = nodes.s2c("up-1", "log-up-1-aaaa");

    assertEquals("pushed", pushed.getString("status"));
    assertEquals(pushed.getString("msgid"), live.nextPush().getString("msgid"));
    PushNodes.waitUntil("the live ack", () -> nodes.count("courier.reach", "path", "live") >= 1);
    PushNodes.waitUntil(
        "overflow counted",
        () -> nodes.count("courier.push.notifications", "result", "overflow") >= 1);
    assertEquals(0, nodes.hook.answered(), "the provider answered nothing all along");
    assertTrue(nodes.hook.waiting() >= 1, "it was asked");
    assertTrue(
        nodes.count("courier.push.notifications", "result", "overflow") <= OFFLINE_RECEIVERS - 1,
        "what the queue held was not counted as overflow");
    live.close();
  }
}
