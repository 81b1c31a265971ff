package io.courier.bridge;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A business client for tests that speaks the bridge's framing as raw bytes through a plain {@link
 * Socket}: a 4-byte big-endian length, then that many bytes of UTF-8 JSON. It uses nothing of the
 * bridge's codec or of {@code io.courier.bridge}, so the server's framing cannot drift from the
 * spec unnoticed. Only the JSON itself is read with Vert.x's {@link JsonObject}.
 *
 * <p>Every read is bounded by the socket timeout: a frame that does not come fails the test with a
 * {@link java.net.SocketTimeoutException} instead of hanging it.
 */
final class BridgeSocket implements AutoCloseable {
  /** How long any single read may wait. */
  static final int READ_TIMEOUT_MS = 10_000;

  /** Largest frame this client accepts from the server. */
  private static final int MAX_READ = 16 * 1024 * 1024;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private BridgeSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static BridgeSocket connect(int port) {
    return connect(port, 0);
  }

  /**
   * With {@code receiveBuffer} > 0, a fixed small receive buffer (set before connecting, so it
   * holds).
   */
  static BridgeSocket connect(int port, int receiveBuffer) {
    try {
      Socket socket = new Socket();
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.setSoTimeout(READ_TIMEOUT_MS);
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
      return new BridgeSocket(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code frame} as one frame. */
  BridgeSocket send(JsonObject frame) {
    return sendBody(frame.encode().getBytes(UTF_8));
  }

  /** Sends {@code body}, whatever it is, as one frame. */
  BridgeSocket sendBody(byte[] body) {
    return write(frame(body));
  }

  /** Writes raw bytes. */
  BridgeSocket write(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] frame(byte[] body) {
    return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
  }

  static byte[] frame(JsonObject body) {
    return frame(body.encode().getBytes(UTF_8));
  }

  /**
   * A send frame to courier.s2c with {@code replyAddress}, {@code body} and {@code headers} (JSON
   * texts; no headers when null): with {@code addressFirst} as clients write it, else with the body
   * first.
   */
  static String s2cSend(boolean addressFirst, String replyAddress, String body, String headers) {
    String address = "\"address\":\"courier.s2c\",\"replyAddress\":\"" + replyAddress + "\"";
    String rest = (headers == null ? "" : "\"headers\":" + headers + ",") + "\"body\":" + body;
    return addressFirst
        ? "{\"type\":\"send\"," + address + "," + rest + "}"
        : "{\"type\":\"send\"," + rest + "," + address + "}";
  }

  /** Sends {@code frame} and returns the body of the next frame, the one that answers it. */
  byte[] ask(String frame) {
    sendBody(frame.getBytes(UTF_8));
    return readBody();
  }

  /** The next frame; fails on timeout or end of stream. */
  JsonObject read() {
    return new JsonObject(new String(readBody(), UTF_8));
  }

  /** The body of the next frame, as the bytes received; fails on timeout or end of stream. */
  byte[] readBody() {
    try {
      int length = in.readInt();
      if (length < 0 || length > MAX_READ) {
        throw new IllegalStateException(
            "server announced a frame of " + Integer.toUnsignedString(length) + " bytes");
      }
      byte[] body = new byte[length];
      in.readFully(body);
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next frame, which must be of {@code type}. */
  JsonObject read(String type) {
    JsonObject frame = read();
    if (!type.equals(frame.getString("type"))) {
      throw new AssertionError("expected a " + type + " frame, got " + frame.encode());
    }
    return frame;
  }

  /**
   * Sends a ping and waits for its pong: everything sent before has been processed by the bridge.
   */
  void roundTrip() {
    send(new JsonObject().put("type", "ping"));
    read("pong");
  }

  /**
   * Reads until the server ends the stream (end of file, or a reset), and returns the complete
   * frames read before; a frame cut off by the end is not returned. Fails if the stream does not
   * end within the read timeout.
   */
  List<JsonObject> readUntilEnd() {
    List<JsonObject> frames = new ArrayList<>();
    try {
      while (true) {
        int length;
        try {
          length = in.readInt();
        } catch (EOFException | SocketException end) {
          return frames;
        }
        byte[] body = new byte[length];
        try {
          in.readFully(body);
        } catch (EOFException | SocketException end) {
          return frames;
        }
        frames.add(new JsonObject(new String(body, UTF_8)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
