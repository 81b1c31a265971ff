package io.courier.routing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.testkit.NodeSide;
import io.courier.testkit.TestSession;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Text that a strict client could not decode never gets in, at either edge: a client frame through
 * the gate, a business frame through the TCP bridge. A JSON string holding an unpaired surrogate
 * escape is refused there, and nothing of it is stored or pushed.
 */
class TextEdgeCasesTest {
  private static final int READ_TIMEOUT_MS = 10_000;

  @RegisterExtension static final NodeSide node = new NodeSide();

  @Test
  void c2cWithAnUnpairedSurrogateIs400AndNeitherStoredNorPushed() {
    TestSession alice = node.login("edge-alice", 101);
    TestSession bob = node.login("edge-bob", 101);

    // the client's JSON encoder writes the lone surrogate as the escape \uD800
    JsonObject refused = alice.c2c("edge-bob", 101, "bad", "left\ud800right");
    assertEquals(400, refused.getInteger("code"), refused.encode());

    String sentinel = alice.c2c("edge-bob", 101, "good", "after").getString("msgid");
    JsonObject push = bob.nextPush();
    assertEquals(sentinel, push.getString("msgid"), "the refused message was pushed first");
    assertEquals(List.of(sentinel), MessagingTest.msgids(alice.history("edge-bob", null, null)));
    assertEquals(List.of(sentinel), MessagingTest.msgids(bob.history("edge-alice", null, null)));
  }

  @Test
  void s2cWithAnUnpairedSurrogateThroughTheBridgeIsRefusedAndNotPushed() throws IOException {
    TestSession driver = node.login("edge-driver", 201);
    int port = node.testNode().config().getJsonObject("bridge").getInteger("port");
    try (Socket business = new Socket()) {
      business.setSoTimeout(READ_TIMEOUT_MS);
      business.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
      DataOutputStream out = new DataOutputStream(business.getOutputStream());
      DataInputStream in = new DataInputStream(business.getInputStream());

      send(out, s2c("r-bad", "left\\ud800right"));
      assertEquals(
          new JsonObject()
              .put("type", "err")
              .put("message", "unpaired_surrogate")
              .put("field", "body.content"),
          read(in));

      send(out, s2c("r-good", "after"));
      JsonObject reply = read(in);
      assertEquals("r-good", reply.getString("address"), reply.encode());
      JsonObject body = reply.getJsonObject("body");
      assertEquals(0, body.getInteger("code"), body.encode());
      assertEquals(
          body.getString("msgid"),
          driver.nextPush().getString("msgid"),
          "the refused message was pushed first");
    }
  }

  /** The bridge frame of a courier.s2c request; {@code content} is JSON string text, as sent. */
  private static String s2c(String replyAddress, String content) {
    return "{\"type\":\"send\",\"address\":\"courier.s2c\",\"replyAddress\":\""
        + replyAddress
        + "\",\"body\":{\"to_uid\":\"edge-driver\",\"to_appcode\":201,\"msgtype\":3,\"content\":\""
        + content
        + "\"}}";
  }

  /** Writes one bridge frame: a 4-byte big-endian length, then the UTF-8 body. */
  private static void send(DataOutputStream out, String body) throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
    out.flush();
  }

  private static JsonObject read(DataInputStream in) throws IOException {
    byte[] body = new byte[in.readInt()];
    in.readFully(body);
    return new JsonObject(new String(body, UTF_8));
  }
}
