package io.courier.gate;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written from RFC 6455 on a plain {@link Socket}, as small as the interop test
 * needs, so that the WebSocket gate is checked against the RFC and not against Vert.x's own client.
 *
 * <p>Out: each flush sends what was written since as one binary message (one masked frame). In: the
 * payloads of the server's binary messages, one after the other; each must hold exactly one
 * protocol frame (the gate's promise). A close frame reads as the end of the stream.
 *
 * <pre>
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| payload len |    extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |           (16/64)             |
 *  |N|V|V|V|       |S|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  | masking key (client to server only, 4 bytes) | payload ...
 * </pre>
 */
final class WebSocketLink implements PeerLink {
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  private static final int CONTINUATION = 0x0;
  private static final int CLOSE = 0x8;
  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final Socket socket;
  private final DataInputStream raw;
  private final MessageInput in = new MessageInput();
  private final MessageOutput out = new MessageOutput();

  /** The close status the server sent, or -1. */
  private int closeStatus = -1;

  private WebSocketLink(Socket socket, DataInputStream raw) {
    this.socket = socket;
    this.raw = raw;
  }

  /** Opens {@code /ws} on the HTTP port, with no Origin header (not a browser). */
  static WebSocketLink connect(int port) throws IOException {
    return connect(port, null);
  }

  /** Opens {@code /ws}, sending {@code origin} when not null; fails unless answered 101. */
  static WebSocketLink connect(int port, String origin) throws IOException {
    return connect(port, origin, null);
  }

  /**
   * Opens {@code /ws}, sending {@code origin} and {@code forwardedFor} (as {@code X-Forwarded-For})
   * when not null; fails unless answered 101.
   */
  static WebSocketLink connect(int port, String origin, String forwardedFor) throws IOException {
    Socket socket = PeerLink.open(port);
    Handshake handshake = handshake(socket, port, origin, forwardedFor);
    assertEquals(101, handshake.status(), () -> "upgrade refused: " + handshake);
    return new WebSocketLink(socket, handshake.in());
  }

  /** The HTTP status the server answers an upgrade request with, sending {@code origin}. */
  static int upgradeStatus(int port, String origin) throws IOException {
    try (Socket socket = PeerLink.open(port)) {
      return handshake(socket, port, origin, null).status();
    }
  }

  private record Handshake(int status, Map<String, String> headers, DataInputStream in) {}

  private static Handshake handshake(Socket socket, int port, String origin, String forwardedFor)
      throws IOException {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String key = Base64.getEncoder().encodeToString(nonce);
    StringBuilder request =
        new StringBuilder("GET /ws HTTP/1.1\r\n")
            .append("Host: 127.0.0.1:")
            .append(port)
            .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
            .append("Sec-WebSocket-Key: ")
            .append(key)
            .append("\r\nSec-WebSocket-Version: 13\r\n");
    if (origin != null) {
      request.append("Origin: ").append(origin).append("\r\n");
    }
    if (forwardedFor != null) {
      request.append("X-Forwarded-For: ").append(forwardedFor).append("\r\n");
    }
    request.append("\r\n");
    socket.getOutputStream().write(request.toString().getBytes(ISO_8859_1));
    socket.getOutputStream().flush();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    String status = line(in);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      headers.put(
          header.substring(0, colon).trim().toLowerCase(), header.substring(colon + 1).trim());
    }
    int code = Integer.parseInt(status.split(" ")[1]);
    if (code == 101) {
      assertEquals(accept(key), headers.get("sec-websocket-accept"), "Sec-WebSocket-Accept");
    }
    return new Handshake(code, headers, in);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) {
        throw new EOFException("the server closed during the handshake");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(ISO_8859_1);
  }

  private static String accept(String key) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Socket socket() {
    return socket;
  }

  @Override
  public InputStream in() {
    return in;
  }

  @Override
  public OutputStream out() {
    return out;
  }

  /** The status of the server's close frame, or -1 if none was read. */
  int closeStatus() {
    return closeStatus;
  }

  /** Sends {@code payload} as one message of {@code opcode}, in one frame. */
  void sendMessage(int opcode, byte[] payload) throws IOException {
    sendFrame(true, opcode, payload);
  }

  /** Sends one WebSocket frame; a message may be spread over several with {@code fin} false. */
  void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xFF);
    } else {
      frame.write(0x80 | 127);
      frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i & 3]);
    }
    socket.getOutputStream().write(frame.toByteArray());
    socket.getOutputStream().flush();
  }

  /** The server's binary messages as one stream; EOF at its close frame. */
  private final class MessageInput extends InputStream {
    private byte[] message = new byte[0];
    private int position;
    private boolean closed;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      while (position == message.length) {
        if (closed || !nextMessage()) {
          closed = true;
          return -1;
        }
      }
      int n = Math.min(length, message.length - position);
      System.arraycopy(message, position, into, offset, n);
      position += n;
      return n;
    }

    @Override
    public int available() {
      return message.length - position;
    }

    /** Reads the next binary message; false at a close frame or the end of the connection. */
    private boolean nextMessage() throws IOException {
      ByteArrayOutputStream payload = new ByteArrayOutputStream();
      while (true) {
        int first = raw.read();
        if (first == -1) {
          return false;
        }
        int second = raw.readUnsignedByte();
        assertEquals(0, second & 0x80, "a server frame must not be masked");
        long length = second & 0x7F;
        if (length == 126) {
          length = raw.readUnsignedShort();
        } else if (length == 127) {
          length = raw.readLong();
        }
        byte[] data = new byte[Math.toIntExact(length)];
        raw.readFully(data);
        int opcode = first & 0x0F;
        if (opcode == CLOSE) {
          closeStatus = data.length >= 2 ? ((data[0] & 0xFF) << 8) | (data[1] & 0xFF) : 1005;
          return false;
        }
        if (opcode != BINARY && opcode != CONTINUATION) {
          assertEquals(BINARY, opcode, "the gate sends binary messages only");
        }
        payload.writeBytes(data);
        if ((first & 0x80) != 0) {
          break;
        }
      }
      byte[] received = payload.toByteArray();
      assertEquals(
          16 + (ByteBuffer.wrap(received, 12, 4).getInt() & 0xFFFFFFFFL),
          received.length,
          "a server message must hold exactly one frame");
      message = received;
      position = 0;
      return true;
    }
  }

  /** Buffers writes; each flush sends them as one binary message. */
  private final class MessageOutput extends OutputStream {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
      pending.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      pending.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
      if (pending.size() > 0) {
        sendMessage(BINARY, pending.toByteArray());
        pending.reset();
      }
    }
  }
}
