package io.courier.tls;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.bridge.BridgeVerticle;
import io.courier.config.CourierConfig;
import io.courier.testkit.FreePorts;
import io.courier.testkit.TestPki;
import io.courier.testkit.TestPki.Issued;
import io.courier.testkit.TestPki.PemPair;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The business bridge over TLS with client certificates: with {@code bridge.tlsClientCa} a business
 * without a certificate of that CA is not served ({@code required}), or is ({@code requested}), and
 * the verified certificate's subject is what {@link PeerCertificates} reads from the socket.
 */
class BridgeClientCertificateTest {
  @TempDir static Path dir;
  private static Vertx vertx;
  private static TestPki.Ca ca;
  private static Issued business;
  private static Issued stranger;
  private static PemPair serverFiles;
  private static Path caFile;
  private static int required;
  private static int requested;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    ca = TestPki.newCa("business CA");
    caFile = ca.writeCert(dir.resolve("business-ca.crt"));
    serverFiles = ca.server("bridge").write(dir, "bridge");
    business = ca.client("dispatch");
    stranger = TestPki.newCa("another CA").client("dispatch");
    required = FreePorts.next();
    requested = FreePorts.next();
    vertx.deployVerticle(new BridgeVerticle(config(required, "required"))).await();
    vertx.deployVerticle(new BridgeVerticle(config(requested, "requested"))).await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static CourierConfig config(int port, String clientAuth) {
    return CourierConfig.from(
        new JsonObject()
            .put(
                "bridge",
                new JsonObject()
                    .put("port", port)
                    .put("tlsCert", serverFiles.cert().toString())
                    .put("tlsKey", serverFiles.key().toString())
                    .put("tlsClientCa", caFile.toString())
                    .put("tlsClientAuth", clientAuth)));
  }

  @Test
  void aBusinessWithACertificateOfTheCaIsServed() throws Exception {
    assertEquals("pong", ping(required, business));
    assertEquals("pong", ping(requested, business));
  }

  @Test
  void withoutACertificateOfTheCaABusinessIsRefusedWhenOneIsRequired() throws Exception {
    assertThrows(IOException.class, () -> ping(required, null));
    assertThrows(IOException.class, () -> ping(required, stranger));
    assertEquals("pong", ping(requested, null));
    assertThrows(
        IOException.class, () -> ping(requested, stranger), "a bad certificate still fails");
  }

  @Test
  void theVerifiedSubjectIsReadFromTheSocket() throws Exception {
    PemBundle bundle =
        PemBundle.read(
            new TlsSettings(
                "test", serverFiles.cert(), serverFiles.key(), caFile, ClientAuth.REQUEST));
    NetServer server = vertx.createNetServer(ServerTls.enable(new NetServerOptions(), bundle));
    server.connectHandler(
        socket ->
            socket.end(Buffer.buffer(PeerCertificates.subject(socket).orElse("none") + "\n")));
    int port = server.listen(0, "127.0.0.1").await().actualPort();
    try {
      assertEquals("CN=dispatch", firstLine(TlsProbe.tls(port, ca.certificate(), business)));
      assertEquals("none", firstLine(TlsProbe.tls(port, ca.certificate(), null)));
    } finally {
      server.close().await();
    }
  }

  private static String firstLine(SSLSocket socket) throws IOException {
    try (socket) {
      return new String(socket.getInputStream().readAllBytes(), UTF_8).trim();
    }
  }

  /** The {@code type} of the bridge's answer to a {@code ping} frame. */
  private static String ping(int port, Issued client) throws Exception {
    try (SSLSocket socket = TlsProbe.tls(port, ca.certificate(), client)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      byte[] ping = new JsonObject().put("type", "ping").encode().getBytes(UTF_8);
      out.writeInt(ping.length);
      out.write(ping);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] answer = new byte[in.readInt()];
      in.readFully(answer);
      return new JsonObject(new String(answer, UTF_8)).getString("type");
    }
  }
}
