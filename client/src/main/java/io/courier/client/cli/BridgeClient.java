package io.courier.client.cli;

import io.courier.client.ClientTls;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One request/reply over the TCP event-bus bridge through a plain blocking socket: a one-shot
 * command needs no event loop, and every read is bounded by the socket timeout.
 */
final class BridgeClient implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  private BridgeClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
  }

  /**
   * Connects, with TLS unless {@code tls} is plain; each later read (the handshake's too) waits at
   * most {@code readTimeoutMs}.
   */
  static BridgeClient connect(String host, int port, int readTimeoutMs, ClientTls tls)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(readTimeoutMs);
      socket.connect(new InetSocketAddress(host, port), GateLogin.CONNECT_TIMEOUT_MS);
      return new BridgeClient(tls.enabled() ? tls.wrap(socket, host) : socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Writes a {@code send} frame and returns the frame that answers it: the {@code message}
   * addressed to {@code replyAddress}, or an {@code err}. Other frames (a {@code pong}) are
   * skipped.
   */
  JsonObject request(JsonObject sendFrame) throws IOException {
    String replyAddress = sendFrame.getString("replyAddress");
    BridgeFrames.write(out, sendFrame);
    while (true) {
      JsonObject frame = BridgeFrames.read(in);
      String type = frame.getString("type");
      if ("err".equals(type)
          || ("message".equals(type) && replyAddress.equals(frame.getString("address")))) {
        return frame;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
