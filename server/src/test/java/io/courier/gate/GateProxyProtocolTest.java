package io.courier.gate;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.gate.RawClient.Frame;
import io.courier.testkit.TestNode;
import io.courier.testkit.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gate behind a load balancer ({@code gate.proxyProtocol} on): every connection comes from the
 * same real address, and the limits apply to the client address that its PROXY header announces, in
 * either version of the protocol.
 */
class GateProxyProtocolTest {
  private static final int APPCODE = 101;
  private static final int MAX_PER_ADDRESS = 2;

  private static Vertx vertx;
  private static TestNode node;

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
                        .put("proxyProtocol", "on")
                        .put("maxConnectionsPerIp", MAX_PER_ADDRESS)));
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.stop();
    }
    vertx.close().await();
  }

  @Test
  void limitsApplyToTheAddressAnnouncedInV1AndV2Headers() throws IOException {
    List<RawClient> open = new ArrayList<>();
    try {
      open.add(RawClient.connect("127.0.0.1", node.gatePort(), v1("203.0.113.7")));
      open.add(RawClient.connect("127.0.0.1", node.gatePort(), v2(203, 0, 113, 7)));
      for (RawClient client : open) {
        assertTrue(client.pings(1), "a connection under the cap is served");
      }
      for (byte[] header : List.of(v1("203.0.113.7"), v2(203, 0, 113, 7))) {
        try (RawClient refused = RawClient.connect("127.0.0.1", node.gatePort(), header)) {
          Frame error = refused.read();
          assertEquals(RawClient.ERROR, error == null ? -1 : error.cmd(), () -> "got " + error);
          assertEquals(429, error.code());
          assertTrue(refused.closedByServer());
        }
      }
      try (RawClient other = RawClient.connect("127.0.0.1", node.gatePort(), v2(198, 51, 100, 9))) {
        String uid = "proxied-" + System.nanoTime();
        assertEquals(0, other.login(uid, APPCODE, new Tokens(vertx).valid(uid, APPCODE), 1));
      }
    } finally {
      for (RawClient client : open) {
        client.close();
      }
    }
  }

  /** A PROXY protocol v1 header: text, one line. */
  private static byte[] v1(String source) {
    return ("PROXY TCP4 " + source + " 127.0.0.1 50000 9000\r\n").getBytes(US_ASCII);
  }

  /** A PROXY protocol v2 header: signature, PROXY command, TCP over IPv4, 12 address bytes. */
  private static byte[] v2(int a, int b, int c, int d) {
    ByteBuffer header = ByteBuffer.allocate(16 + 12);
    header.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
    header.put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
    header.put(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    header.put(new byte[] {127, 0, 0, 1});
    header.putShort((short) 50001).putShort((short) 9000);
    return header.array();
  }
}
