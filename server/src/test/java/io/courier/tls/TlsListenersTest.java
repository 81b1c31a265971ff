package io.courier.tls;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.client.ClientTls;
import io.courier.client.CourierClient;
import io.courier.client.CourierConnection;
import io.courier.client.ServerFrame;
import io.courier.client.cli.CourierCli;
import io.courier.protocol.Command;
import io.courier.protocol.FrameEncoder;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestPki;
import io.courier.testkit.TestPki.PemPair;
import io.courier.testkit.Tokens;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose gate, HTTP, admin and bridge listeners speak TLS (and whose gate keeps a plain port
 * for a migration), reached by real handshakes: the Java client and the CLI with the CA file, the
 * JDK's TLS client, and raw bytes for what an old or plain client sends.
 */
class TlsListenersTest {
  private static final int APPCODE = 101;
  private static final long WAIT_MS = 10_000;

  @TempDir static Path dir;
  private static Vertx vertx;
  private static TestPki.Ca ca;
  private static Path caFile;
  private static PemPair gateFiles;
  private static TestNode node;
  private static Tokens tokens;
  private static HttpClient https;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    tokens = new Tokens(vertx);
    ca = TestPki.newCa("listeners CA");
    caFile = ca.writeCert(dir.resolve("ca.crt"));
    gateFiles = ca.server("gate-1").write(dir, "gate");
    PemPair web = ca.server("web").write(dir, "web");
    PemPair bridge = ca.server("bridge").write(dir, "bridge");
    node =
        TestNode.start(
            vertx,
            new JsonObject()
                .put(
                    "gate",
                    new JsonObject()
                        .put("tlsCert", gateFiles.cert().toString())
                        .put("tlsKey", gateFiles.key().toString())
                        .put("plainPort", io.courier.testkit.FreePorts.next()))
                .put(
                    "http",
                    new JsonObject()
                        .put("tlsCert", web.cert().toString())
                        .put("tlsKey", web.key().toString()))
                .put(
                    "ops",
                    new JsonObject()
                        .put("adminTlsCert", web.cert().toString())
                        .put("adminTlsKey", web.key().toString()))
                .put(
                    "bridge",
                    new JsonObject()
                        .put("tlsCert", bridge.cert().toString())
                        .put("tlsKey", bridge.key().toString()))
                .put("tls", new JsonObject().put("reloadSeconds", 1)));
    https =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString())));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.stop();
    }
    vertx.close().await();
  }

  private static int gatePort() {
    return node.gatePort();
  }

  private static int port(String listener, String key) {
    return node.config().getJsonObject(listener).getInteger(key);
  }

  private static CourierConnection login(CourierClient client, int port, String uid) {
    CourierConnection connection = bounded(client.connect(port, "127.0.0.1"));
    JsonObject answer = bounded(connection.login(uid, APPCODE, tokens.valid(uid, APPCODE)));
    assertEquals(0, answer.getInteger("code"), answer::encode);
    return connection;
  }

  @Test
  void theJavaClientLogsInOverTlsAndThePlainPortServesTheSameGate() {
    CourierClient tls = new CourierClient(vertx, ClientTls.trusting(caFile));
    CourierClient plain = new CourierClient(vertx);
    try {
      String uid = "tls-" + System.nanoTime();
      CourierConnection overTls = login(tls, gatePort(), uid);
      BlockingQueue<ServerFrame> frames = new LinkedBlockingQueue<>();
      overTls.serverFrameHandler(frames::add);
      assertEquals(0, bounded(overTls.ping()).getInteger("code"));

      // the same user on the plain port replaces the TLS session, as on one port
      login(plain, port("gate", "plainPort"), uid);
      ServerFrame kick = poll(frames);
      assertEquals(Command.KICK, kick.command());
      assertEquals(4001, kick.body().getInteger("code"));
    } finally {
      tls.close().await();
      plain.close().await();
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsNotServed() throws Exception {
    CourierClient systemTrust = new CourierClient(vertx, ClientTls.systemTrust());
    try {
      assertThrows(Exception.class, () -> bounded(systemTrust.connect(gatePort(), "127.0.0.1")));
    } finally {
      systemTrust.close().await();
    }
  }

  @Test
  void aPlainClientOnTheTlsPortIsClosedWithNothingServed() throws Exception {
    try (Socket plain = TlsProbe.plain(gatePort())) {
      String uid = "plain-" + System.nanoTime();
      plain
          .getOutputStream()
          .write(
              TlsProbe.frame(
                  Command.LOGIN.code(),
                  1,
                  new JsonObject()
                      .put("uid", uid)
                      .put("appcode", APPCODE)
                      .put("token", tokens.valid(uid, APPCODE))));
      byte[] received = TlsProbe.readUntilClosed(plain);
      assertTrue(
          received.length < 2 || received[0] != 0x43 || received[1] != 0x52,
          "no Courier frame in clear");
      assertEquals(-1, new String(received, StandardCharsets.ISO_8859_1).indexOf(uid));
    }
  }

  @Test
  void aTls11ClientGetsAProtocolVersionAlert() throws Exception {
    try (Socket old = TlsProbe.plain(gatePort())) {
      old.getOutputStream().write(TlsProbe.tls11ClientHello());
      byte[] received = TlsProbe.readUntilClosed(old);
      assertTrue(received.length >= 7, () -> "an alert, got " + received.length + " bytes");
      assertEquals(0x15, received[0], "an alert record");
      assertEquals(2, received[5], "fatal");
      assertEquals(70, received[6], "protocol_version");
    }
  }

  @Test
  void healthAndAdminAnswerOverHttpsOnly() {
    HttpClient http = vertx.createHttpClient();
    try {
      assertEquals(200, get(https, port("http", "port"), "/health").statusCode());
      assertEquals(200, get(https, port("ops", "adminPort"), "/metrics").statusCode());
      assertThrows(Exception.class, () -> get(http, port("http", "port"), "/health"));
      assertThrows(Exception.class, () -> get(http, port("ops", "adminPort"), "/metrics"));
    } finally {
      http.close().await();
    }
  }

  @Test
  void theWebSocketGateIsServedAsWssOnTheHttpsPort() {
    WebSocketClient wss =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString())));
    try {
      WebSocket socket = bounded(wss.connect(port("http", "port"), "127.0.0.1", "/ws"));
      Promise<Buffer> answer = Promise.promise();
      socket.binaryMessageHandler(answer::tryComplete);
      String uid = "wss-user";
      socket.writeBinaryMessage(
          FrameEncoder.encode(
              Command.LOGIN.code(),
              7,
              new JsonObject()
                  .put("uid", uid)
                  .put("appcode", APPCODE)
                  .put("token", tokens.valid(uid, APPCODE))));
      Buffer frame = bounded(answer.future());
      assertEquals(Command.LOGIN.responseCode(), frame.getUnsignedShort(4));
      assertEquals(7, frame.getUnsignedInt(8));
      assertEquals(0, new JsonObject(frame.getBuffer(16, frame.length())).getInteger("code"));
    } finally {
      wss.close().await();
    }
  }

  @Test
  void theCliSendsAndPushesOverTlsWithTheCaFile() throws Exception {
    CourierClient tls = new CourierClient(vertx, ClientTls.trusting(caFile));
    try {
      String bob = "cli-bob-" + System.nanoTime();
      CourierConnection receiver = login(tls, gatePort(), bob);
      BlockingQueue<ServerFrame> frames = new LinkedBlockingQueue<>();
      receiver.serverFrameHandler(frames::add);
      String alice = "cli-alice-" + System.nanoTime();
      Run send =
          run(
              "send",
              "--uid",
              alice,
              "--appcode",
              "101",
              "--token",
              tokens.valid(alice, APPCODE),
              "--to",
              bob,
              "--to-appcode",
              "101",
              "--text",
              "over tls",
              "--port",
              Integer.toString(gatePort()),
              "--ca",
              caFile.toString());
      assertEquals(0, send.exit, send.err);
      assertEquals("over tls", poll(frames).body().getString("content"));
      Run s2c =
          run(
              "s2c",
              "--to",
              bob,
              "--to-appcode",
              "101",
              "--text",
              "from business",
              "--bridge-port",
              Integer.toString(port("bridge", "port")),
              "--ca",
              caFile.toString());
      assertEquals(0, s2c.exit, s2c.err);
      assertEquals("from business", poll(frames).body().getString("content"));
    } finally {
      tls.close().await();
    }
  }

  @Test
  void aNewCertificateServesNewConnectionsWhileOpenOnesStay() throws Exception {
    CourierClient tls = new CourierClient(vertx, ClientTls.trusting(caFile));
    try {
      CourierConnection before = login(tls, gatePort(), "reload-" + System.nanoTime());
      X509Certificate first = TlsProbe.serverCertificate(gatePort(), ca.certificate());

      ca.server("gate-2").write(dir, "gate");
      long deadline = System.currentTimeMillis() + WAIT_MS;
      X509Certificate seen = first;
      while (seen.equals(first) && System.currentTimeMillis() < deadline) {
        TimeUnit.MILLISECONDS.sleep(100);
        seen = TlsProbe.serverCertificate(gatePort(), ca.certificate());
      }
      assertNotEquals(first, seen, "a new connection sees the new certificate");
      assertEquals("CN=gate-2", seen.getSubjectX500Principal().getName());

      assertEquals(0, bounded(before.ping()).getInteger("code"), "the open connection stays");
      assertTrue(!before.closed().isComplete());
      login(tls, gatePort(), "after-reload-" + System.nanoTime());
      String metrics = get(https, port("ops", "adminPort"), "/metrics").body();
      assertTrue(
          metrics.contains("courier_tls_reloads_total{listener=\"gate\",outcome=\"reloaded\"} 1.0"),
          metrics);
    } finally {
      tls.close().await();
    }
  }

  /** The status and body of a GET, both read on the event loop; bounded. */
  private static Answer get(HttpClient client, int port, String uri) {
    return client
        .request(HttpMethod.GET, port, "127.0.0.1", uri)
        .compose(
            request ->
                request
                    .send()
                    .compose(
                        response ->
                            response
                                .body()
                                .map(body -> new Answer(response.statusCode(), body.toString()))))
        .timeout(WAIT_MS, TimeUnit.MILLISECONDS)
        .await();
  }

  private record Answer(int statusCode, String body) {}

  private static <T> T bounded(io.vertx.core.Future<T> future) {
    return future.timeout(WAIT_MS, TimeUnit.MILLISECONDS).await();
  }

  private static ServerFrame poll(BlockingQueue<ServerFrame> frames) {
    try {
      ServerFrame frame = frames.poll(WAIT_MS, TimeUnit.MILLISECONDS);
      if (frame == null) {
        throw new AssertionError("no frame within " + WAIT_MS + " ms");
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        CourierCli.run(
            args, Map.of(), new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
    return new Run(exit, out.toString(UTF_8), err.toString(UTF_8));
  }
}
