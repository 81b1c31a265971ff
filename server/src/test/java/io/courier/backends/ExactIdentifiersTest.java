package io.courier.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.courier.testkit.ClientSide;
import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestSession;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client ids compare byte for byte through the gate, on both stores: a cmid that differs from an
 * earlier one only by trailing spaces is another message. On MySQL's {@code utf8mb4_bin}, a PAD
 * SPACE collation, such a C2C was answered 503 "message store unavailable".
 */
class ExactIdentifiersTest {
  private static final List<String> SHARDS = List.of("courier_exact_0", "courier_exact_1");
  @RegisterExtension final ClientSide side = new ClientSide();

  @Test
  void cmidsThatDifferOnlyInTrailingSpacesAreTwoMessagesOnTheEmbeddedStore() {
    cmidsThatDifferOnlyInTrailingSpacesAreTwoMessages(TestNode.start(side.vertx()));
  }

  @Test
  void cmidsThatDifferOnlyInTrailingSpacesAreTwoMessagesOnTwoMysqlShards() {
    LocalServices.requireMysql();
    MySqlDatabases.recreate(side.vertx(), SHARDS);
    JsonArray shards = new JsonArray();
    SHARDS.forEach(database -> shards.add(MySqlDatabases.uri(database)));
    cmidsThatDifferOnlyInTrailingSpacesAreTwoMessages(
        TestNode.start(
            side.vertx(),
            new JsonObject()
                .put(
                    "store", new JsonObject().put("backend", "mysql").put("mysqlShards", shards))));
  }

  private void cmidsThatDifferOnlyInTrailingSpacesAreTwoMessages(TestNode node) {
    TestSession alice = TestSession.login(side.client(), node, side.tokens(), "exact-alice", 101);

    JsonObject first = alice.c2c("exact-bob", 101, "x", "first");
    JsonObject second = alice.c2c("exact-bob", 101, "x ", "second");
    JsonObject resend = alice.c2c("exact-bob", 101, "x ", "second, sent again");

    assertEquals(0, first.getInteger("code"), first.encode());
    assertEquals(0, second.getInteger("code"), second.encode());
    assertNotEquals(first.getString("msgid"), second.getString("msgid"));
    assertEquals(second.getString("msgid"), resend.getString("msgid"), resend.encode());
    TestSession bob =
        TestSession.login(side.client(), node, side.tokens(), "exact-bob", 101, false);
    assertEquals(
        List.of("first", "second"),
        bob.pull(null, null).getJsonArray("msgs").stream()
            .map(message -> ((JsonObject) message).getString("content"))
            .toList());
  }
}
