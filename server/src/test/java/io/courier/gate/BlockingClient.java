package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.Command;
import io.courier.protocol.FrameEncoder;
import io.courier.protocol.Wire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client on a plain blocking {@link Socket}, for tests that need what the project's client does
 * not do on purpose: pipeline hundreds of frames in one write, or stop reading. Every read is
 * bounded by the socket's read timeout.
 */
final class BlockingClient implements AutoCloseable {
  /** One frame from the server. */
  record Frame(int cmd, long seq, JsonObject body) {
    int code() {
      return body.getInteger("code");
    }
  }

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private BlockingClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static BlockingClient connect(int port) throws IOException {
    return connect(port, 0);
  }

  /**
   * Connects to the gate on {@code port} of 127.0.0.1; a {@code receiveBufferBytes} above 0 makes
   * the kernel buffer little for a client that stops reading.
   */
  static BlockingClient connect(int port, int receiveBufferBytes) throws IOException {
    Socket socket = new Socket();
    if (receiveBufferBytes > 0) {
      socket.setReceiveBufferSize(receiveBufferBytes);
    }
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port), (int) READ_TIMEOUT.toMillis());
    socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
    return new BlockingClient(socket);
  }

  static Buffer frame(Command command, long seq, JsonObject body) {
    return FrameEncoder.encode(command.code(), seq, body);
  }

  static Buffer loginFrame(long seq, String uid, int appcode, String token) {
    return frame(
        Command.LOGIN,
        seq,
        new JsonObject().put("uid", uid).put("appcode", appcode).put("token", token));
  }

  /** Sends {@code frames} in one write. */
  void send(Buffer... frames) throws IOException {
    Buffer all = Buffer.buffer();
    for (Buffer frame : frames) {
      all.appendBuffer(frame);
    }
    out.write(all.getBytes());
    out.flush();
  }

  /** LOGIN, asserting code 0. */
  void login(String uid, int appcode, String token) throws IOException {
    send(loginFrame(1, uid, appcode, token));
    Frame answer = expect(Command.LOGIN.responseCode(), 1);
    assertEquals(0, answer.code(), answer.body()::encode);
  }

  /** PING, asserting that the next frame is its code-0 answer. */
  void ping(long seq) throws IOException {
    send(frame(Command.PING, seq, new JsonObject()));
    assertEquals(0, expect(Command.PING.responseCode(), seq).code());
  }

  /** The request's answer, skipping PUSHes. */
  Frame request(Command command, long seq, JsonObject body) throws IOException {
    send(frame(command, seq, body));
    while (true) {
      Frame frame = read();
      if (frame.cmd() != Command.PUSH.code()) {
        assertEquals(command.responseCode(), frame.cmd(), frame::toString);
        assertEquals(seq, frame.seq(), frame::toString);
        return frame;
      }
    }
  }

  Frame expect(int cmd, long seq) throws IOException {
    Frame frame = read();
    assertEquals(cmd, frame.cmd(), frame::toString);
    assertEquals(seq, frame.seq(), frame::toString);
    return frame;
  }

  Frame read() throws IOException {
    Frame frame = readOrNullAtEof();
    assertTrue(frame != null, "the server closed where a frame was expected");
    return frame;
  }

  /** The next frame, or null once the server has closed the connection. */
  Frame readOrNullAtEof() throws IOException {
    byte[] header = new byte[Wire.HEADER_LENGTH];
    try {
      int first = in.read();
      if (first == -1) {
        return null;
      }
      header[0] = (byte) first;
      in.readFully(header, 1, header.length - 1);
      ByteBuffer fields = ByteBuffer.wrap(header);
      int length = fields.getInt(12);
      assertTrue(length >= 0 && length <= 1 << 20, () -> "frame of " + length + " bytes");
      byte[] body = new byte[length];
      in.readFully(body);
      return new Frame(
          fields.getShort(4) & 0xFFFF,
          fields.getInt(8) & 0xFFFFFFFFL,
          length == 0
              ? new JsonObject()
              : new JsonObject(new String(body, StandardCharsets.UTF_8)));
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no frame within " + socket.getSoTimeout() + " ms", e);
    } catch (EOFException e) {
      return null;
    } catch (SocketException e) {
      if (e.getMessage() != null && e.getMessage().contains("reset")) {
        return null;
      }
      throw e;
    }
  }

  /** Reads until the server closes, skipping what it had sent before; false on a timeout. */
  boolean readUntilClosed() throws IOException {
    while (true) {
      Frame frame;
      try {
        frame = readOrNullAtEof();
      } catch (AssertionError e) {
        return false;
      }
      if (frame == null) {
        return true;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
