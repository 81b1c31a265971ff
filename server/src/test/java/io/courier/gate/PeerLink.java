package io.courier.gate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * A byte link to a gate for {@link GateInteropTest}: the protocol's frames go out on {@link #out()}
 * (each write followed by a flush leaves as one piece: a TCP segment, or one WebSocket message) and
 * come back on {@link #in()}, read with the socket's timeout.
 */
interface PeerLink extends AutoCloseable {
  Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  Socket socket();

  InputStream in();

  OutputStream out();

  @Override
  default void close() throws IOException {
    socket().close();
  }

  /** A plain TCP connection to the gate port. */
  static PeerLink tcp(int port) throws IOException {
    Socket socket = open(port);
    InputStream in = socket.getInputStream();
    OutputStream out = socket.getOutputStream();
    return new PeerLink() {
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
    };
  }

  /** A socket to 127.0.0.1:{@code port}, segments sent as written. */
  static Socket open(int port) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true); // so that a byte-by-byte write really leaves as separate segments
    socket.connect(new InetSocketAddress("127.0.0.1", port), (int) CONNECT_TIMEOUT.toMillis());
    socket.setSoTimeout((int) CONNECT_TIMEOUT.toMillis());
    return socket;
  }
}
