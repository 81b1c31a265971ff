package io.courier.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.Addresses;
import io.courier.protocol.Command;
import io.courier.testkit.NodeSide;
import io.courier.testkit.TestSession;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Group conversations end to end (docs/groups.md): a business manages an order's group over the
 * event bus, members talk in it with the project's client, on one embedded node with the default
 * systems (101, 102, 103 are one user app; 201 drivers; 301 support) and a maximum group size of 5.
 */
class GroupConversationTest {
  private static final int MAX_MEMBERS = 5;

  @RegisterExtension
  static final NodeSide node =
      new NodeSide(
          new JsonObject().put("routing", new JsonObject().put("groupMaxMembers", MAX_MEMBERS)));

  @Test
  void anOrdersGroupReachesEveryMemberOnceAndKeepsTheSendersTerminalsInSync() {
    node.login("o-user", 102).close();
    TestSession user = node.login("o-user", 101);
    TestSession userWeb = node.login("o-user", 103);
    TestSession merchant = node.login("o-merchant", 201);
    JsonObject created =
        business(
            Addresses.GROUP_CREATE,
            new JsonObject()
                .put("group_id", "order-1")
                .put("title", "Order 1")
                .put(
                    "members",
                    new JsonArray()
                        .add(member("o-user", 101))
                        .add(member("o-merchant", 201))
                        .add(member("o-support", 301))));
    assertEquals(0, created.getInteger("code"), created.encode());
    assertEquals(3, created.getJsonObject("group").getJsonArray("members").size());

    JsonObject answer = c2g(user, "order-1", "c1", "where is my order?");
    assertEquals(0, answer.getInteger("code"), answer.encode());
    String msgid = answer.getString("msgid");

    JsonObject toMerchant = merchant.nextPush();
    assertEquals(msgid, toMerchant.getString("msgid"));
    assertEquals("c2g", toMerchant.getString("kind"));
    assertEquals("order-1", toMerchant.getString("group_id"));
    assertEquals("o-merchant", toMerchant.getString("to_uid"));
    assertNull(toMerchant.getValue("sync"));
    JsonObject sync = userWeb.nextPush();
    assertEquals(msgid, sync.getString("msgid"));
    assertEquals(Boolean.TRUE, sync.getBoolean("sync"));
    assertEquals("sent", sync.getString("state"));
    assertTrue(user.noFrameWaiting(), "the sending terminal gets no copy");

    // the support agent was offline: its message waits; the user's iPad gets its sync copy
    TestSession support = node.login("o-support", 301);
    JsonArray waiting = support.pull(null, null).getJsonArray("msgs");
    assertEquals(1, waiting.size(), waiting.encode());
    assertEquals("order-1", waiting.getJsonObject(0).getString("group_id"));
    TestSession userIpad = node.login("o-user", 102);
    JsonArray synced = userIpad.pull(null, null).getJsonArray("msgs");
    assertEquals(1, synced.size(), synced.encode());
    assertEquals(Boolean.TRUE, synced.getJsonObject(0).getBoolean("sync"));

    // a resend of the same cmid is the same message, delivered to nobody again
    JsonObject resent = c2g(user, "order-1", "c1", "where is my order?");
    assertEquals(msgid, resent.getString("msgid"));
    assertEquals(answer.getLong("senddate"), resent.getLong("senddate"));
    assertEquals(1, support.offlineAck(msgid).getInteger("removed"));
    assertEquals(0, support.pull(null, null).getJsonArray("msgs").size());
    assertTrue(merchant.noFrameWaiting(), "no second push of a resend");
  }

  @Test
  void aMemberAddedLaterSeesTheGroupFromItsJoinPointAndARemovedOneNothingMore() {
    TestSession user = node.login("j-user", 101);
    TestSession merchant = node.login("j-merchant", 201);
    createGroup("order-2", member("j-user", 101), member("j-merchant", 201));
    String before = c2g(user, "order-2", "c1", "before the driver").getString("msgid");
    merchant.nextPush();

    JsonObject added =
        business(
            Addresses.GROUP_MEMBERS,
            new JsonObject()
                .put("group_id", "order-2")
                .put("add", new JsonArray().add(member("j-driver", 201))));
    assertEquals(0, added.getInteger("code"), added.encode());
    TestSession driver = node.login("j-driver", 201);
    String after = c2g(merchant, "order-2", "c2", "driver on the way").getString("msgid");
    assertEquals(after, driver.nextPush().getString("msgid"));
    user.nextPush();

    JsonArray seen = groupHistory(driver, "order-2").getJsonArray("msgs");
    assertEquals(List.of(after), msgids(seen), "the driver sees nothing before it joined");
    assertEquals(
        List.of(after, before), msgids(groupHistory(user, "order-2").getJsonArray("msgs")));
    assertEquals(
        "sent",
        groupHistory(merchant, "order-2").getJsonArray("msgs").getJsonObject(0).getString("state"));

    JsonObject removed =
        business(
            Addresses.GROUP_MEMBERS,
            new JsonObject()
                .put("group_id", "order-2")
                .put("remove", new JsonArray().add("j-driver")));
    assertEquals(0, removed.getInteger("code"), removed.encode());
    c2g(user, "order-2", "c3", "thanks").getString("msgid");
    merchant.nextPush();
    assertTrue(driver.noFrameWaiting(), "a removed member gets nothing more");
    assertEquals(0, driver.pull(null, null).getJsonArray("msgs").size());
    assertEquals(403, groupHistory(driver, "order-2").getInteger("code"));
    assertEquals(403, c2g(driver, "order-2", "c4", "still here?").getInteger("code"));
    assertTrue(
        conversations(driver).stream()
            .noneMatch(entry -> "order-2".equals(entry.getString("group_id"))),
        "a removed member's list has no entry of the group");
  }

  @Test
  void readStateAndUnreadCountsOfAGroupComeWithTheConversationList() {
    TestSession user = node.login("r-user", 101);
    TestSession merchant = node.login("r-merchant", 201);
    createGroup("order-3", member("r-user", 101), member("r-merchant", 201));
    c2g(user, "order-3", "c1", "one").getString("msgid");
    String second = c2g(user, "order-3", "c2", "two").getString("msgid");
    c2g(merchant, "order-3", "c3", "reply").getString("msgid");

    JsonObject entry = groupEntry(merchant, "order-3");
    assertEquals(2, entry.getInteger("unread"), entry.encode());
    assertEquals("order-3", entry.getString("title"));
    assertEquals("reply", entry.getJsonObject("last").getString("content"));

    JsonObject read =
        merchant.request(
            Command.READ, new JsonObject().put("group_id", "order-3").put("upto", second));
    assertEquals(0, read.getInteger("code"), read.encode());
    assertEquals(second, read.getString("read_upto"));
    JsonObject after = groupEntry(merchant, "order-3");
    assertEquals(0, after.getInteger("unread"), after.encode());
    assertEquals(second, after.getString("read_upto"));
    assertEquals(1, groupEntry(user, "order-3").getInteger("unread"));
    JsonArray stated = groupHistory(merchant, "order-3").getJsonArray("msgs");
    assertEquals("sent", stated.getJsonObject(0).getString("state"));
    assertEquals("read", stated.getJsonObject(1).getString("state"));
  }

  @Test
  void aClosedGroupRefusesSendsAndKeepsItsHistory() {
    TestSession user = node.login("c-user", 101);
    createGroup("order-4", member("c-user", 101), member("c-merchant", 201));
    String msgid = c2g(user, "order-4", "c1", "done, thanks").getString("msgid");
    JsonObject closed =
        business(Addresses.GROUP_CLOSE, new JsonObject().put("group_id", "order-4"));
    assertEquals(0, closed.getInteger("code"), closed.encode());
    assertEquals(Boolean.TRUE, closed.getJsonObject("group").getBoolean("closed"));

    JsonObject refused = c2g(user, "order-4", "c2", "one more thing");
    assertEquals(410, refused.getInteger("code"), refused.encode());
    assertEquals(List.of(msgid), msgids(groupHistory(user, "order-4").getJsonArray("msgs")));
    JsonObject add =
        business(
            Addresses.GROUP_MEMBERS,
            new JsonObject()
                .put("group_id", "order-4")
                .put("add", new JsonArray().add(member("c-support", 301))));
    assertEquals(410, add.getInteger("code"), add.encode());
  }

  @Test
  void refusalsCarryTheirCodes() {
    TestSession user = node.login("x-user", 101);
    assertEquals(404, c2g(user, "no-such-group", "c1", "hello?").getInteger("code"));
    assertEquals(404, groupHistory(user, "no-such-group").getInteger("code"));
    createGroup("order-5", member("x-merchant", 201));
    assertEquals(403, c2g(user, "order-5", "c2", "let me in").getInteger("code"));
    JsonObject again =
        business(
            Addresses.GROUP_CREATE,
            new JsonObject().put("group_id", "order-5").put("members", new JsonArray()));
    assertEquals(409, again.getInteger("code"), again.encode());
    JsonArray crowd = new JsonArray();
    for (int i = 0; i <= MAX_MEMBERS; i++) {
      crowd.add(member("x-member-" + i, 101));
    }
    JsonObject tooMany =
        business(
            Addresses.GROUP_CREATE,
            new JsonObject().put("group_id", "order-6").put("members", crowd));
    assertEquals(413, tooMany.getInteger("code"), tooMany.encode());
    assertEquals(
        404,
        business(Addresses.GROUP_INFO, new JsonObject().put("group_id", "order-6"))
            .getInteger("code"));
    JsonObject badAppcode =
        business(
            Addresses.GROUP_CREATE,
            new JsonObject()
                .put("group_id", "order-7")
                .put("members", new JsonArray().add(member("x-user", 999))));
    assertEquals(403, badAppcode.getInteger("code"), badAppcode.encode());
    JsonObject noId = business(Addresses.GROUP_INFO, new JsonObject());
    assertEquals(400, noId.getInteger("code"), noId.encode());
  }

  private static JsonObject member(String uid, int appcode) {
    return new JsonObject().put("uid", uid).put("appcode", appcode);
  }

  private static void createGroup(String groupId, JsonObject... members) {
    JsonArray array = new JsonArray();
    for (JsonObject member : members) {
      array.add(member);
    }
    JsonObject created =
        business(
            Addresses.GROUP_CREATE,
            new JsonObject().put("group_id", groupId).put("title", groupId).put("members", array));
    assertEquals(0, created.getInteger("code"), created.encode());
  }

  private static JsonObject business(String address, JsonObject body) {
    return node.vertx().eventBus().<JsonObject>request(address, body).await().body();
  }

  private static JsonObject c2g(TestSession session, String groupId, String cmid, String content) {
    return session.request(
        Command.C2G,
        new JsonObject()
            .put("group_id", groupId)
            .put("cmid", cmid)
            .put("msgtype", 1)
            .put("content", content));
  }

  private static JsonObject groupHistory(TestSession session, String groupId) {
    return session.request(Command.HISTORY, new JsonObject().put("group_id", groupId));
  }

  private static List<JsonObject> conversations(TestSession session) {
    JsonObject page = session.request(Command.CONVERSATIONS, new JsonObject());
    assertEquals(0, page.getInteger("code"), page.encode());
    List<JsonObject> entries = new ArrayList<>();
    page.getJsonArray("convs").forEach(entry -> entries.add((JsonObject) entry));
    return entries;
  }

  private static JsonObject groupEntry(TestSession session, String groupId) {
    return conversations(session).stream()
        .filter(entry -> groupId.equals(entry.getString("group_id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no entry of " + groupId));
  }

  private static List<String> msgids(JsonArray messages) {
    List<String> msgids = new ArrayList<>();
    messages.forEach(message -> msgids.add(((JsonObject) message).getString("msgid")));
    return msgids;
  }
}
