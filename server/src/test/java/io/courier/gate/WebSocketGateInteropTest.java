package io.courier.gate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link GateInteropTest}, spoken over the WebSocket gate ({@code GET /ws} on the
 * HTTP port, one frame per binary message, through {@link WebSocketLink}), and the cases only a
 * WebSocket has: messages that are not one frame, fragments, origins, and a user on both transports
 * at once.
 */
class WebSocketGateInteropTest extends GateInteropTest {

  @Override
  PeerLink open(TestNode target) throws IOException {
    return WebSocketLink.connect(target.httpPort());
  }

  @Override
  boolean byteStream() {
    return false;
  }

  @Test
  void textMessageIsAnsweredWithError400AndClosedWith1003() throws IOException {
    try (WebSocketLink link = WebSocketLink.connect(node.httpPort());
        RawPeer peer = new RawPeer(link)) {
      link.sendMessage(WebSocketLink.TEXT, "{\"cmd\":\"LOGIN\"}".getBytes(UTF_8));
      Frame error = peer.expect(ERROR, 0);
      assertEquals(400, code(error.body()));
      assertMsg(error.body());
      peer.expectClosed();
      assertEquals(1003, link.closeStatus());
    }
  }

  @Test
  void frameSpreadOverTwoMessagesIsAnsweredWithError400AndClosedWith1002() throws IOException {
    byte[] frame = RawPeer.frame(PING, 300, new JsonObject().put("pad", "x"));
    try (WebSocketLink link = WebSocketLink.connect(node.httpPort());
        RawPeer peer = new RawPeer(link)) {
      link.sendMessage(WebSocketLink.BINARY, Arrays.copyOf(frame, 20));
      Frame error = peer.expect(ERROR, 0);
      assertEquals(400, code(error.body()));
      assertMsg(error.body());
      peer.expectClosed();
      assertEquals(1002, link.closeStatus());
    }
    // a piece shorter than a header is refused alike
    try (WebSocketLink link = WebSocketLink.connect(node.httpPort());
        RawPeer peer = new RawPeer(link)) {
      link.sendMessage(WebSocketLink.BINARY, Arrays.copyOf(frame, 7));
      assertEquals(400, code(peer.expect(ERROR, 0).body()));
      peer.expectClosed();
      assertEquals(1002, link.closeStatus());
    }
  }

  @Test
  void twoFramesInOneMessageAreAnsweredWithError400AndClosedWith1002() throws IOException {
    ByteArrayOutputStream two = new ByteArrayOutputStream();
    two.writeBytes(RawPeer.frame(PING, 301, new JsonObject()));
    two.writeBytes(RawPeer.frame(PING, 302, new JsonObject()));
    try (WebSocketLink link = WebSocketLink.connect(node.httpPort());
        RawPeer peer = new RawPeer(link)) {
      link.sendMessage(WebSocketLink.BINARY, two.toByteArray());
      assertEquals(400, code(peer.expect(ERROR, 0).body()));
      peer.expectClosed();
      assertEquals(1002, link.closeStatus());
    }
  }

  @Test
  void oneMessageInSeveralWebSocketFragmentsIsOneFrame() throws IOException {
    String uid = uid();
    byte[] login = RawPeer.frame(LOGIN, 310, loginBody(uid, 103, tokens.valid(uid, 103)));
    try (WebSocketLink link = WebSocketLink.connect(node.httpPort());
        RawPeer peer = new RawPeer(link)) {
      link.sendFrame(false, WebSocketLink.BINARY, Arrays.copyOfRange(login, 0, 5));
      link.sendFrame(false, 0x0, Arrays.copyOfRange(login, 5, 30));
      link.sendFrame(true, 0x0, Arrays.copyOfRange(login, 30, login.length));
      assertEquals(0, code(peer.expect(LOGIN | RESPONSE, 310).body()));
      peer.ping(311);
    }
  }

  @Test
  void messageInFragmentsPastTheLargestFrameIsAnsweredWithError413AndClosedWith1009()
      throws IOException {
    byte[] piece = new byte[40_000];
    try (WebSocketLink link = WebSocketLink.connect(node.httpPort());
        RawPeer peer = new RawPeer(link)) {
      link.sendFrame(false, WebSocketLink.BINARY, piece);
      link.sendFrame(true, 0x0, piece);
      assertEquals(413, code(peer.expect(ERROR, 0).body()));
      peer.expectClosed();
      assertEquals(1009, link.closeStatus());
    }
  }

  @Test
  void pagesOfOtherOriginsAreRefusedBeforeTheUpgrade() throws IOException {
    int port = node.httpPort();
    assertEquals(403, WebSocketLink.upgradeStatus(port, "https://evil.example.com"));
    assertEquals(403, WebSocketLink.upgradeStatus(port, "http://127.0.0.1:" + (port + 1)));
    assertEquals(101, WebSocketLink.upgradeStatus(port, "http://127.0.0.1:" + port));
    assertEquals(101, WebSocketLink.upgradeStatus(port, null));
  }

  @Test
  void configuredOriginsAreAllowed() throws IOException {
    TestNode open =
        TestNode.start(
            vertx,
            new JsonObject()
                .put(
                    "http",
                    new JsonObject()
                        .put(
                            "wsAllowedOrigins",
                            new JsonArray().add("https://support.example.com"))));
    try {
      assertEquals(
          101, WebSocketLink.upgradeStatus(open.httpPort(), "https://support.example.com"));
      assertEquals(403, WebSocketLink.upgradeStatus(open.httpPort(), "https://other.example.com"));
    } finally {
      open.stop();
    }
  }

  @Test
  void behindATrustedProxyAdmissionCountsTheForwardedClientAddress() throws IOException {
    TestNode proxied =
        TestNode.start(
            vertx,
            new JsonObject()
                .put(
                    "http",
                    new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1")))
                .put("gate", new JsonObject().put("maxConnectionsPerIp", 1)));
    int port = proxied.httpPort();
    try (RawPeer first = new RawPeer(WebSocketLink.connect(port, null, "198.51.100.1"));
        RawPeer second =
            new RawPeer(WebSocketLink.connect(port, null, "203.0.113.9, 198.51.100.2"));
        RawPeer again = new RawPeer(WebSocketLink.connect(port, null, "198.51.100.1"))) {
      first.ping(330);
      second.ping(331);
      Frame refused = again.expect(ERROR, 0);
      assertEquals(429, code(refused.body()), refused::toString);
      again.expectClosed();
    } finally {
      proxied.stop();
    }
  }

  @Test
  void aUserIsOnlineOverTcpAndWebSocketAtOnceAndANewerLoginKicksAcrossTransports()
      throws IOException {
    String uid = uid();
    try (RawPeer phone = new RawPeer(PeerLink.tcp(node.gatePort()));
        RawPeer web = connect(node)) {
      phone.login(uid, 101, tokens.valid(uid, 101));
      web.login(uid, 103, tokens.valid(uid, 103));
      phone.ping(320);
      web.ping(321);
      try (RawPeer newerWeb = new RawPeer(PeerLink.tcp(node.gatePort()))) {
        newerWeb.login(uid, 103, tokens.valid(uid, 103));
        Frame kick = web.read();
        assertEquals(hex(KICK), hex(kick.cmd()), () -> "expected KICK, got " + kick);
        assertEquals(4001, code(kick.body()));
        web.expectClosed();
        phone.ping(322);
        newerWeb.ping(323);
      }
    }
  }
}
