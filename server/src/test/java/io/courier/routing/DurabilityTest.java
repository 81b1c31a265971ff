package io.courier.routing;

import static io.courier.routing.MessagingTest.msgids;
import static io.courier.testkit.TestSession.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.client.ServerFrame;
import io.courier.contract.Addresses;
import io.courier.testkit.ClientSide;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestSession;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What happens to a message that is not acknowledged, and to messages across a restart of the node.
 */
class DurabilityTest {
  @RegisterExtension final ClientSide side = new ClientSide();

  @Test
  void unacknowledgedPushIsResentThenLeftForPull() throws Exception {
    TestNode node =
        TestNode.start(
            side.vertx(),
            new JsonObject()
                .put("routing", new JsonObject().put("ackTimeoutMs", 200).put("pushRetries", 2)));
    TestSession sender = TestSession.login(side.client(), node, side.tokens(), "retry-ann", 101);
    TestSession silent =
        TestSession.login(side.client(), node, side.tokens(), "retry-bo", 101, false);
    Promise<JsonObject> givenUp = Promise.promise();
    side.vertx()
        .eventBus()
        .<JsonObject>consumer(
            Addresses.RECEIPTS,
            receipt -> {
              if ("retry-bo".equals(receipt.body().getString("to_uid"))
                  && "stored".equals(receipt.body().getString("status"))) {
                givenUp.tryComplete(receipt.body());
              }
            })
        .completion()
        .await();

    String msgid = sender.c2c("retry-bo", 101, "r1", "ack me").getString("msgid");
    ServerFrame first = silent.nextPushFrame();
    ServerFrame second = silent.nextPushFrame();
    ServerFrame third = silent.nextPushFrame();
    for (ServerFrame push : List.of(first, second, third)) {
      assertEquals(msgid, push.body().getString("msgid"));
      assertEquals(first.seq(), push.seq(), "a resend is the same frame");
    }
    assertEquals(msgid, await(givenUp).getString("msgid"));
    assertEquals(List.of(msgid), msgids(silent.pull(null, null)));
  }

  @Test
  void restartWithTheSameDataDirectoryKeepsOfflineMessagesAndHistory() {
    TestNode first = TestNode.start(side.vertx());
    TestSession sender = TestSession.login(side.client(), first, side.tokens(), "restart-cy", 101);
    String offline = sender.c2c("restart-di", 101, "k1", "kept across restarts").getString("msgid");
    String stored =
        side.vertx()
            .eventBus()
            .<JsonObject>request(
                Addresses.S2C,
                new JsonObject()
                    .put("to_uid", "restart-di")
                    .put("to_appcode", 101)
                    .put("msgtype", 4)
                    .put("content", "order"))
            .await()
            .body()
            .getString("msgid");
    first.stop();

    TestNode second = TestNode.start(side.vertx(), first.config());
    TestSession reader =
        TestSession.login(side.client(), second, side.tokens(), "restart-di", 101, false);
    assertEquals(List.of(offline, stored), msgids(reader.pull(null, null)));
    assertEquals(List.of(offline), msgids(reader.history("restart-cy", null, null)));
    TestSession again = TestSession.login(side.client(), second, side.tokens(), "restart-cy", 101);
    String later = again.c2c("restart-di", 101, "k2", "after restart").getString("msgid");
    assertEquals(
        1, Long.compareUnsigned(Long.parseUnsignedLong(later), Long.parseUnsignedLong(stored)));
    assertEquals(
        offline,
        again.c2c("restart-di", 101, "k1", "kept across restarts").getString("msgid"),
        "the cmid is remembered across the restart");
  }
}
