package io.courier.gate;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;

/**
 * A client of protocol v1 over a plain {@link Socket}, bound to a chosen loopback source address
 * (127.0.0.0/8 is all loopback), written from the spec as {@link GateInteropTest}'s peer is. Every
 * read is bounded by the socket timeout.
 */
final class RawClient implements AutoCloseable {
  static final int LOGIN = 0x0001;
  static final int PING = 0x0003;
  static final int ERROR = 0x00FF;
  static final int RESPONSE = 0x8000;

  private static final int HEADER_LENGTH = 16;
  private static final int READ_TIMEOUT_MS = 5_000;
  private static final int MAX_BODY = 1 << 20;

  /** A frame from the server. */
  record Frame(int cmd, long seq, JsonObject body) {
    int code() {
      return body.getInteger("code");
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects from {@code source} to the gate on 127.0.0.1:{@code port}. */
  static RawClient connect(String source, int port) throws IOException {
    return connect(source, port, new byte[0]);
  }

  /**
   * Connects as {@link #connect(String, int)} and first writes {@code preamble} (a PROXY header).
   */
  static RawClient connect(String source, int port, byte[] preamble) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.bind(new InetSocketAddress(source, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    RawClient client = new RawClient(socket);
    if (preamble.length > 0) {
      client.write(preamble);
    }
    return client;
  }

  void send(int cmd, long seq, JsonObject body) throws IOException {
    byte[] raw = body.encode().getBytes(UTF_8);
    ByteBuffer frame = ByteBuffer.allocate(HEADER_LENGTH + raw.length);
    frame.putShort((short) 0x4352).put((byte) 1).put((byte) 0);
    frame.putShort((short) cmd).putShort((short) 0).putInt((int) seq).putInt(raw.length).put(raw);
    write(frame.array());
  }

  /** LOGIN; returns the response's code (the connection may be closed after it). */
  int login(String uid, int appcode, String token, long seq) throws IOException {
    send(LOGIN, seq, new JsonObject().put("uid", uid).put("appcode", appcode).put("token", token));
    Frame response = read();
    if (response == null || response.cmd() != (LOGIN | RESPONSE) || response.seq() != seq) {
      throw new AssertionError("expected the LOGIN response " + seq + ", got " + response);
    }
    return response.code();
  }

  /** True when a PING is answered: the connection is open and served. */
  boolean pings(long seq) throws IOException {
    send(PING, seq, new JsonObject());
    Frame response = read();
    return response != null && response.cmd() == (PING | RESPONSE) && response.code() == 0;
  }

  /** The next frame, or null when the server has closed the connection. */
  Frame read() throws IOException {
    byte[] header = new byte[HEADER_LENGTH];
    try {
      int first = in.read();
      if (first == -1) {
        return null;
      }
      header[0] = (byte) first;
      in.readFully(header, 1, HEADER_LENGTH - 1);
      ByteBuffer fields = ByteBuffer.wrap(header);
      int length = fields.getInt(12);
      if (length < 0 || length > MAX_BODY) {
        throw new AssertionError("server frame announces " + length + " bytes");
      }
      byte[] body = new byte[length];
      in.readFully(body);
      return new Frame(
          fields.getShort(4) & 0xFFFF,
          fields.getInt(8) & 0xFFFFFFFFL,
          new JsonObject(new String(body, UTF_8)));
    } catch (EOFException e) {
      throw new AssertionError("the server closed the connection in the middle of a frame", e);
    }
  }

  /** True when the server closes the connection without another frame, within the read timeout. */
  boolean closedByServer() throws IOException {
    try {
      return in.read() == -1;
    } catch (SocketException e) {
      return false;
    }
  }

  private void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
