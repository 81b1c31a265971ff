package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.Addresses;
import io.courier.gate.RawClient.Frame;
import io.courier.http.HttpProbe;
import io.courier.http.HttpProbe.Answer;
import io.courier.testkit.TestNode;
import io.courier.testkit.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator controls through a real node: over the admin listener's HTTP API and over the event
 * bus, seen by clients on raw sockets from distinct loopback source addresses.
 */
class GateOperatorControlsTest {
  private static final String TOKEN = "operator-controls-token-of-32-bytes";
  private static final int APPCODE = 101;
  private static final int KICK = 0x0040;
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  private static final AtomicInteger UIDS = new AtomicInteger();

  private static Vertx vertx;
  private static TestNode node;
  private static Tokens tokens;
  private static HttpProbe http;

  @BeforeAll
  static void startNode() {
    vertx = Vertx.vertx();
    node =
        TestNode.start(
            vertx, new JsonObject().put("ops", new JsonObject().put("adminToken", TOKEN)));
    tokens = new Tokens(vertx);
    http = new HttpProbe(vertx);
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.stop();
    }
    vertx.close().await();
  }

  @Test
  void anAddressBannedOverHttpIsKickedAndRefusedWhileAnotherAddressLogsInUntilTheBanIsLifted()
      throws IOException {
    try (RawClient banned = loggedIn("127.0.0.7", uid());
        RawClient other = loggedIn("127.0.0.8", uid())) {
      assertEquals(
          401, call(HttpMethod.POST, "/v1/bans", null, new JsonObject()).status(), "no token");
      assertEquals(
          400,
          call(HttpMethod.POST, "/v1/bans", TOKEN, ipBan("example.com")).status(),
          "a host name is no address");

      Answer placed = call(HttpMethod.POST, "/v1/bans", TOKEN, ipBan("127.0.0.7"));

      assertEquals(200, placed.status(), placed.body()::encode);
      assertEquals("127.0.0.7/32", placed.body().getJsonObject("ban").getString("ip"));
      assertKicked(banned);
      try (RawClient refused = RawClient.connect("127.0.0.7", node.gatePort())) {
        Frame error = refused.read();
        assertEquals(RawClient.ERROR, error == null ? -1 : error.cmd(), () -> "got " + error);
        assertEquals(429, error.code());
        assertTrue(refused.closedByServer(), "the refused connection is closed after its ERROR");
      }
      assertTrue(other.pings(2), "a session from another address is untouched");
      try (RawClient again = loggedIn("127.0.0.8", uid())) {
        assertTrue(again.pings(2));
      }
      JsonArray bans = call(HttpMethod.GET, "/v1/bans", TOKEN, null).body().getJsonArray("bans");
      assertEquals(1, bans.size(), bans::encode);
      assertEquals("127.0.0.7/32", bans.getJsonObject(0).getString("ip"));

      Answer lifted = call(HttpMethod.DELETE, "/v1/bans?ip=127.0.0.7", TOKEN, null);

      assertEquals(true, lifted.body().getBoolean("lifted"), lifted.body()::encode);
      try (RawClient back = loggedIn("127.0.0.7", uid())) {
        assertTrue(back.pings(2));
      }
    }
  }

  @Test
  void aUidBannedOverTheEventBusIsKickedAndItsLoginsGet403UntilTheBanIsLifted() throws IOException {
    String uid = uid();
    try (RawClient session = loggedIn("127.0.0.9", uid)) {
      JsonObject placed =
          request(Addresses.ADMIN_BAN, new JsonObject().put("uid", uid).put("seconds", 600));

      assertEquals(0, placed.getInteger("code"), placed::encode);
      assertKicked(session);
    }
    try (RawClient refused = RawClient.connect("127.0.0.9", node.gatePort())) {
      assertEquals(403, refused.login(uid, APPCODE, tokens.valid(uid, APPCODE), 1));
      assertTrue(refused.pings(2), "the connection stays open, not logged in");

      JsonObject lifted = request(Addresses.ADMIN_UNBAN, new JsonObject().put("uid", uid));

      assertEquals(true, lifted.getBoolean("lifted"), lifted::encode);
      assertEquals(0, refused.login(uid, APPCODE, tokens.valid(uid, APPCODE), 3));
    }
  }

  @Test
  void aKickClosesTheUsersSessionsOnTheNamedAppcodeOnly() throws IOException {
    String uid = uid();
    try (RawClient session = loggedIn("127.0.0.10", uid)) {
      JsonObject elsewhere =
          request(Addresses.ADMIN_KICK, new JsonObject().put("uid", uid).put("appcode", 102));
      assertEquals(0, elsewhere.getInteger("kicked"), elsewhere::encode);
      assertTrue(session.pings(2), "a kick of another appcode leaves the session open");

      Answer kicked = call(HttpMethod.POST, "/v1/kick", TOKEN, new JsonObject().put("uid", uid));

      assertEquals(200, kicked.status());
      assertEquals(1, kicked.body().getInteger("kicked"), kicked.body()::encode);
      assertKicked(session);
    }
    JsonObject bad = request(Addresses.ADMIN_KICK, new JsonObject().put("uid", "no spaces"));
    assertEquals(400, bad.getInteger("code"));
  }

  private static void assertKicked(RawClient client) throws IOException {
    Frame kick = client.read();
    assertNotNull(kick, "KICK before the close");
    assertEquals(KICK, kick.cmd(), () -> "got " + kick);
    assertEquals(4006, kick.code());
    assertTrue(client.closedByServer(), "closed after the KICK");
  }

  private static RawClient loggedIn(String source, String uid) throws IOException {
    RawClient client = RawClient.connect(source, node.gatePort());
    assertEquals(0, client.login(uid, APPCODE, tokens.valid(uid, APPCODE), 1));
    return client;
  }

  private static JsonObject ipBan(String ip) {
    return new JsonObject().put("ip", ip).put("seconds", 600).put("reason", "test");
  }

  private static JsonObject request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body).await().body();
  }

  private static Answer call(HttpMethod method, String path, String token, JsonObject body) {
    return http.call(method, node.adminPort(), path, token, body);
  }

  private static String uid() {
    return "ops-" + RUN + "-" + UIDS.incrementAndGet();
  }
}
