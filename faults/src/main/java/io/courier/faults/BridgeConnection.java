package io.courier.faults;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A business's connection to a node's TCP event-bus bridge, in raw frames over a blocking socket as
 * a business in any language would speak it (event-bus.md section 8.2): a 4-byte big-endian length,
 * then a UTF-8 JSON object. Every frame but {@code ping} carries the bridge secret.
 */
final class BridgeConnection implements AutoCloseable {
  private static final int MAX_FRAME = 16 * 1024 * 1024;

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  BridgeConnection(String host, int port, int readTimeoutMs) throws IOException {
    socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(readTimeoutMs);
      socket.connect(new InetSocketAddress(host, port), 2_000);
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  static JsonObject secured(JsonObject frame) {
    return frame.put(
        "headers",
        frame
            .getJsonObject("headers", new JsonObject())
            .put("courier-secret", Topology.BRIDGE_SECRET));
  }

  synchronized void write(JsonObject frame) throws IOException {
    byte[] body = frame.encode().getBytes(UTF_8);
    out.writeInt(body.length);
    out.write(body);
    out.flush();
  }

  /** The next frame; fails on a timeout, EOF, or a frame that is not a JSON object. */
  JsonObject read() throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_FRAME) {
      throw new IOException("bridge frame of " + Integer.toUnsignedString(length) + " bytes");
    }
    byte[] body = new byte[length];
    in.readFully(body);
    try {
      return new JsonObject(new String(body, UTF_8));
    } catch (RuntimeException e) {
      throw new IOException("bridge frame is not a JSON object", e);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
