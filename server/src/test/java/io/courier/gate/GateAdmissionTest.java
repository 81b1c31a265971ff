package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.gate.RawClient.Frame;
import io.courier.testkit.TestNode;
import io.courier.testkit.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Admission control through a real node, over raw sockets from distinct loopback source addresses
 * (each test uses its own, so that the node's per-address state of one test does not touch
 * another).
 */
class GateAdmissionTest {
  private static final int APPCODE = 101;
  private static final int MAX_PER_ADDRESS = 3;
  private static final int FAILURES_BEFORE_BAN = 2;
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  private static final AtomicInteger UIDS = new AtomicInteger();

  private static Vertx vertx;
  private static TestNode node;
  private static Tokens tokens;

  @BeforeAll
  static void startNode() {
    vertx = Vertx.vertx();
    node =
        TestNode.start(
            vertx,
            new JsonObject()
                .put(
                    "gate",
                    new JsonObject()
                        .put("maxConnectionsPerIp", MAX_PER_ADDRESS)
                        .put("loginRatePerIp", 1)
                        .put("loginFailuresBeforeBan", FAILURES_BEFORE_BAN)
                        .put("loginBanSeconds", 600)));
    tokens = new Tokens(vertx);
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.stop();
    }
    vertx.close().await();
  }

  @Test
  void connectionsOverThePerAddressCapGetError429ThenCloseWhileAnotherAddressLogsIn()
      throws IOException {
    List<RawClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_PER_ADDRESS; i++) {
        RawClient client = RawClient.connect("127.0.0.2", node.gatePort());
        open.add(client);
        assertTrue(client.pings(i + 1), "connection " + i + " under the cap is served");
      }
      try (RawClient refused = RawClient.connect("127.0.0.2", node.gatePort())) {
        Frame error = refused.read();
        assertEquals(RawClient.ERROR, error == null ? -1 : error.cmd(), () -> "got " + error);
        assertEquals(0, error.seq());
        assertEquals(429, error.code());
        assertTrue(refused.closedByServer(), "the refused connection is closed after its ERROR");
      }
      try (RawClient other = RawClient.connect("127.0.0.3", node.gatePort())) {
        String uid = uid();
        assertEquals(0, other.login(uid, APPCODE, tokens.valid(uid, APPCODE), 1));
      }
      open.remove(0).close();
      RawClient again = connectWhenServed("127.0.0.2");
      open.add(again);
    } finally {
      for (RawClient client : open) {
        client.close();
      }
    }
  }

  @Test
  void aLoginFloodWithBadTokensBansTheAddressWhileAGoodClientElsewhereLogsIn() throws IOException {
    for (int i = 0; i < FAILURES_BEFORE_BAN; i++) {
      try (RawClient attacker = RawClient.connect("127.0.0.4", node.gatePort())) {
        assertEquals(401, attacker.login(uid(), APPCODE, "not-a-token", 1));
        assertTrue(attacker.closedByServer(), "a 401 closes the connection");
      }
    }
    try (RawClient banned = RawClient.connect("127.0.0.4", node.gatePort())) {
      Frame error = banned.read();
      assertEquals(RawClient.ERROR, error == null ? -1 : error.cmd(), () -> "got " + error);
      assertEquals(429, error.code());
      assertTrue(banned.closedByServer());
    }
    try (RawClient good = RawClient.connect("127.0.0.5", node.gatePort())) {
      String uid = uid();
      assertEquals(0, good.login(uid, APPCODE, tokens.valid(uid, APPCODE), 1));
    }
  }

  @Test
  void loginsBeyondTheAddressRateGet429AndTheConnectionStaysOpen() throws IOException {
    // rate 1 per second with a burst of two: the first two pass, the third, at once, does not
    List<Integer> codes = new ArrayList<>();
    List<RawClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        RawClient client = RawClient.connect("127.0.0.6", node.gatePort());
        clients.add(client);
        String uid = uid();
        codes.add(client.login(uid, APPCODE, tokens.valid(uid, APPCODE), 1));
      }
      assertEquals(List.of(0, 0, 429), codes);
      assertTrue(clients.get(2).pings(2), "a LOGIN refused with 429 leaves the connection open");
    } finally {
      for (RawClient client : clients) {
        client.close();
      }
    }
  }

  /**
   * Connects from {@code source} until a connection is served: a closed connection is released on
   * the server's event loop a moment after the client sees its own close.
   */
  private static RawClient connectWhenServed(String source) throws IOException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      RawClient client = RawClient.connect(source, node.gatePort());
      Frame first = null;
      try {
        client.send(RawClient.PING, 1, new JsonObject());
        first = client.read();
      } catch (IOException refusedAndClosed) {
        // the server closed after its ERROR before the PING was written
      }
      if (first != null && first.cmd() == (RawClient.PING | RawClient.RESPONSE)) {
        return client;
      }
      client.close();
      assertTrue(System.nanoTime() < deadline, "no connection served within 5 s: " + first);
    }
  }

  private static String uid() {
    return "adm-" + RUN + "-" + UIDS.incrementAndGet();
  }
}
