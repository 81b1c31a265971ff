package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.Command;
import io.courier.protocol.FrameEncoder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TCP gate's socket ({@link NetClientSocket}) under {@link Outbound}, on real sockets, plain
 * and TLS, against a client that does not read: what is queued is counted from the channel (also
 * the frames written while a read is handled, which wait for its end, on TLS as plaintext before
 * the encryption), reading stops once 16 KiB are queued and resumes once the client has read, and a
 * client that stays behind is cut after the stall (1 s), or when a frame is due with more than 64
 * KiB queued. The kernel's buffers are made small on both sides so that the queue fills quickly.
 */
class NetClientSocketTest {
  private static final int QUEUE = 16_384;
  private static final long MAX_PENDING = 65_536;
  private static final long STALL_MS = 1_000;
  private static final ConnectionSettings SETTINGS =
      new ConnectionSettings(
          65_536,
          QUEUE,
          10_000,
          30,
          90_000,
          10_000,
          2,
          MAX_PENDING,
          STALL_MS,
          1 << 20,
          32,
          100,
          1000,
          100_000,
          100_000);

  /** A frame of exactly this many bytes. */
  private static final int FRAME_BYTES = 1_000;

  /** What one frame may add beyond its bytes: Netty's bookkeeping, or a TLS record's. */
  private static final int FRAME_OVERHEAD = 256;

  /** More frames than a client that does not read can take before the gate stops. */
  private static final int MAX_FRAMES = 20_000;

  private static final int KERNEL_BUFFER = 4_096;
  private static final int WAIT_SECONDS = 10;

  private static Vertx vertx;
  private static SelfSignedCertificate certificate;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    certificate = SelfSignedCertificate.create("localhost");
  }

  @AfterAll
  static void stop() {
    certificate.delete();
    vertx.close().await();
  }

  @ParameterizedTest(name = "tls {0}")
  @ValueSource(booleans = {false, true})
  void readingStopsOnceTheQueueIsFullAndResumesOnceTheClientHasRead(boolean tls) throws Exception {
    try (Gate gate = Gate.listen(tls);
        Socket client = gate.connect()) {
      Served served = gate.accepted();

      int frames = served.onLoop(served::fill);
      long queued = served.onLoop(served.out::pendingBytes);
      assertTrue(served.onLoop(served.out::full), frames + " frames and not full");
      assertTrue(
          queued >= QUEUE && queued < QUEUE + FRAME_BYTES + FRAME_OVERHEAD,
          () -> queued + " bytes queued when full");
      client.getOutputStream().write(ping(1).getBytes());
      assertFalse(served.read.future().isComplete(), "read while full");

      readFrames(client, frames);

      assertFalse(served.onLoop(served.out::full), "still full after the client read everything");
      assertEquals(0, served.onLoop(served.out::pendingBytes));
      served.read.future().await(WAIT_SECONDS, TimeUnit.SECONDS);
      assertFalse(served.cut.future().isComplete());
    }
  }

  @ParameterizedTest(name = "tls {0}")
  @ValueSource(booleans = {false, true})
  void framesWrittenWhileAReadIsHandledAreCountedBeforeTheyAreFlushed(boolean tls)
      throws Exception {
    try (Gate gate = Gate.listen(tls);
        Socket client = gate.connect()) {
      Served served = gate.accepted();
      served.fillOnRead = true;

      client.getOutputStream().write(ping(1).getBytes());

      int frames = served.filledOnRead.future().await(WAIT_SECONDS, TimeUnit.SECONDS);
      assertTrue(
          frames <= QUEUE / FRAME_BYTES + 1,
          frames + " frames written in one read before the queue was full");
      readFrames(client, frames);
      assertFalse(served.onLoop(served.out::full));
    }
  }

  @ParameterizedTest(name = "tls {0}")
  @ValueSource(booleans = {false, true})
  void clientThatReadsNothingIsCutAfterTheStall(boolean tls) throws Exception {
    try (Gate gate = Gate.listen(tls);
        Socket client = gate.connect()) {
      Served served = gate.accepted();

      long beforeNanos = System.nanoTime();
      served.onLoop(served::fill);

      assertEquals(
          ConnectionLimit.WRITE_STALL,
          served.cut.future().await(STALL_MS / 1000 + WAIT_SECONDS, TimeUnit.SECONDS));
      long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - beforeNanos);
      assertTrue(afterMs >= STALL_MS, "cut " + afterMs + " ms after the client fell behind");
      served.closed.future().await(WAIT_SECONDS, TimeUnit.SECONDS);
      assertTrue(readUntilClosed(client), "the client's connection stayed open");
    }
  }

  @ParameterizedTest(name = "tls {0}")
  @ValueSource(booleans = {false, true})
  void frameDueWithMoreThanTheMaximumQueuedIsNotWrittenAndTheClientIsCut(boolean tls)
      throws Exception {
    try (Gate gate = Gate.listen(tls);
        Socket client = gate.connect()) {
      Served served = gate.accepted();

      long queuedAtTheCut = served.onLoop(served::writeUntilRefused);

      assertTrue(
          queuedAtTheCut > MAX_PENDING
              && queuedAtTheCut <= MAX_PENDING + FRAME_BYTES + FRAME_OVERHEAD,
          () -> queuedAtTheCut + " bytes queued when a frame was refused");
      assertEquals(ConnectionLimit.PENDING_BYTES, served.cut.future().result());
      served.closed.future().await(WAIT_SECONDS, TimeUnit.SECONDS);
      assertTrue(readUntilClosed(client), "the client's connection stayed open");
    }
  }

  private static Buffer ping(long seq) {
    return FrameEncoder.encode(Command.PING.code(), seq, new JsonObject());
  }

  /** A PING response of exactly {@link #FRAME_BYTES} bytes. */
  private static Buffer frame(long seq) {
    JsonObject body = new JsonObject().put("code", 0).put("pad", "");
    int shell = FrameEncoder.response(Command.PING, seq, body).length();
    body.put("pad", "x".repeat(FRAME_BYTES - shell));
    return FrameEncoder.response(Command.PING, seq, body);
  }

  /** Reads the {@code frames} frames of {@link #FRAME_BYTES} written so far. */
  private static void readFrames(Socket client, int frames) throws IOException {
    InputStream in = client.getInputStream();
    byte[] chunk = new byte[8_192];
    long left = (long) frames * FRAME_BYTES;
    while (left > 0) {
      int read = in.read(chunk, 0, (int) Math.min(chunk.length, left));
      assertTrue(read > 0, "closed with " + left + " bytes unread");
      left -= read;
    }
  }

  /** Reads until the server closes; false on a timeout. */
  private static boolean readUntilClosed(Socket client) throws IOException {
    byte[] chunk = new byte[8_192];
    try {
      while (client.getInputStream().read(chunk) != -1) {
        // what the server had queued before the close
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      // a reset: the server closed without flushing
      return true;
    }
  }

  /** A server whose accepted sockets are served by an {@link Outbound} each. */
  private static final class Gate implements AutoCloseable {
    private final NetServer server;
    private final boolean tls;
    private final Context context;
    private Promise<Served> next = Promise.promise();

    private Gate(boolean tls) {
      this.tls = tls;
      this.context = vertx.getOrCreateContext();
      NetServerOptions options = new NetServerOptions().setSendBufferSize(KERNEL_BUFFER);
      if (tls) {
        options.setSsl(true).setKeyCertOptions(certificate.keyCertOptions());
      }
      this.server = vertx.createNetServer(options);
    }

    static Gate listen(boolean tls) throws TimeoutException {
      Gate gate = new Gate(tls);
      Promise<NetServer> listening = Promise.promise();
      gate.context.runOnContext(
          v -> {
            gate.server.connectHandler(so -> gate.next.complete(new Served(so)));
            gate.server.listen(0, "127.0.0.1").onComplete(listening);
          });
      listening.future().await(WAIT_SECONDS, TimeUnit.SECONDS);
      return gate;
    }

    /** A client that reads nothing once connected (and, on TLS, after the handshake). */
    Socket connect() throws IOException, GeneralSecurityException {
      Socket plain = new Socket();
      plain.setReceiveBufferSize(KERNEL_BUFFER);
      plain.setSoTimeout(WAIT_SECONDS * 1000);
      plain.connect(new InetSocketAddress("127.0.0.1", server.actualPort()), WAIT_SECONDS * 1000);
      if (!tls) {
        return plain;
      }
      SSLSocket secure =
          (SSLSocket)
              trusting(certificate.certificatePath())
                  .getSocketFactory()
                  .createSocket(plain, "localhost", plain.getPort(), true);
      secure.startHandshake();
      return secure;
    }

    Served accepted() throws TimeoutException {
      Served served = next.future().await(WAIT_SECONDS, TimeUnit.SECONDS);
      next = Promise.promise();
      return served;
    }

    @Override
    public void close() throws TimeoutException {
      server.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static SSLContext trusting(String certificatePem)
        throws IOException, GeneralSecurityException {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry(
          "server",
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(Files.readAllBytes(Path.of(certificatePem)))));
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    }
  }

  /** One accepted connection; everything but the promises is touched on its loop only. */
  private static final class Served {
    final Context context = Vertx.currentContext();
    final Promise<ConnectionLimit> cut = Promise.promise();
    final Promise<Void> read = Promise.promise();
    final Promise<Void> closed = Promise.promise();
    final Promise<Integer> filledOnRead = Promise.promise();
    final Outbound out;
    volatile boolean fillOnRead;
    private long seq;

    Served(io.vertx.core.net.NetSocket so) {
      NetClientSocket socket = new NetClientSocket(so, QUEUE);
      out = new Outbound(socket, GateLoop.of(vertx, context), SETTINGS, cut::tryComplete);
      socket.start(this::data, failure -> {}, v -> closed.tryComplete());
    }

    private void data(Buffer data) {
      if (fillOnRead && !filledOnRead.future().isComplete()) {
        filledOnRead.complete(fill());
      } else {
        read.tryComplete();
      }
    }

    /** Writes frames until the client is behind; the number written. */
    int fill() {
      int frames = 0;
      while (!out.full()) {
        assertTrue(frames < MAX_FRAMES, "never full");
        assertTrue(out.write(frame(++seq)));
        frames++;
      }
      return frames;
    }

    /** Writes frames until one is refused; the bytes queued before it. */
    long writeUntilRefused() {
      for (int i = 0; i < MAX_FRAMES; i++) {
        long queued = out.pendingBytes();
        if (!out.write(frame(++seq))) {
          return queued;
        }
      }
      throw new AssertionError("no frame refused");
    }

    <T> T onLoop(Supplier<T> task) throws TimeoutException {
      return Future.<T>future(
              done ->
                  context.runOnContext(
                      v -> {
                        try {
                          done.complete(task.get());
                        } catch (Throwable failure) {
                          done.fail(failure);
                        }
                      }))
          .await(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
