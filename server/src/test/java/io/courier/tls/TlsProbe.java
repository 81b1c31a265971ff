package io.courier.tls;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.courier.testkit.TestPki.Issued;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * The JDK's own TLS client, and raw bytes, against a node's listeners: what certificate a port
 * shows, a socket with or without a client certificate, a TLS 1.1 ClientHello written by hand, and
 * protocol-v1 frames as bytes. Every read is bounded by the socket timeout.
 */
final class TlsProbe {
  static final int TIMEOUT_MS = 5_000;

  private TlsProbe() {}

  /** A plain socket to 127.0.0.1:{@code port}. */
  static Socket plain(int port) throws IOException {
    Socket socket = new Socket();
    socket.setSoTimeout(TIMEOUT_MS);
    socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
    return socket;
  }

  /**
   * A TLS socket over {@code plain}, trusting {@code ca}, showing {@code client} if not null; the
   * handshake is done.
   */
  static SSLSocket tls(Socket plain, X509Certificate ca, Issued client)
      throws IOException, GeneralSecurityException {
    SSLSocket socket =
        (SSLSocket)
            context(ca, client)
                .getSocketFactory()
                .createSocket(plain, "127.0.0.1", plain.getPort(), true);
    socket.startHandshake();
    return socket;
  }

  static SSLSocket tls(int port, X509Certificate ca, Issued client)
      throws IOException, GeneralSecurityException {
    return tls(plain(port), ca, client);
  }

  /** The certificate {@code port} shows now, to a client that trusts {@code ca}. */
  static X509Certificate serverCertificate(int port, X509Certificate ca)
      throws IOException, GeneralSecurityException {
    try (SSLSocket socket = tls(port, ca, null)) {
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  private static SSLContext context(X509Certificate ca, Issued client)
      throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", ca);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    KeyManagerFactory keys = null;
    if (client != null) {
      KeyStore own = KeyStore.getInstance("PKCS12");
      own.load(null, null);
      own.setKeyEntry(
          "client",
          client.keys().getPrivate(),
          new char[0],
          new Certificate[] {client.certificate()});
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(own, new char[0]);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        keys == null ? null : new KeyManager[] {alwaysShown(keys)}, trust.getTrustManagers(), null);
    return context;
  }

  /**
   * Shows the client certificate whatever authorities the server names: the JDK's own key manager
   * sends none that those did not issue, and a test of a foreign certificate must send it.
   */
  private static X509KeyManager alwaysShown(KeyManagerFactory keys) {
    X509KeyManager manager = (X509KeyManager) keys.getKeyManagers()[0];
    return new X509ExtendedKeyManager() {
      @Override
      public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {"client"};
      }

      @Override
      public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return "client";
      }

      @Override
      public String chooseEngineClientAlias(
          String[] keyType, Principal[] issuers, javax.net.ssl.SSLEngine engine) {
        return "client";
      }

      @Override
      public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
      }

      @Override
      public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return manager.getCertificateChain(alias);
      }

      @Override
      public PrivateKey getPrivateKey(String alias) {
        return manager.getPrivateKey(alias);
      }
    };
  }

  /**
   * A ClientHello offering TLS 1.1 only (client_version 3.2, no supported_versions extension), as
   * an old client sends it: RFC 4346 section 7.4.1.2.
   */
  static byte[] tls11ClientHello() {
    ByteBuffer hello = ByteBuffer.allocate(512);
    hello.put((byte) 3).put((byte) 2); // client_version TLS 1.1
    hello.put(new byte[32]); // random
    hello.put((byte) 0); // session_id: empty
    int[] suites = {0xc013, 0xc014, 0x002f, 0x0035}; // ECDHE-RSA / RSA with AES-CBC-SHA
    hello.putShort((short) (suites.length * 2));
    for (int suite : suites) {
      hello.putShort((short) suite);
    }
    hello.put((byte) 1).put((byte) 0); // compression: null only
    int bodyLength = hello.position();
    ByteBuffer record = ByteBuffer.allocate(5 + 4 + bodyLength);
    record.put((byte) 0x16).put((byte) 3).put((byte) 1).putShort((short) (4 + bodyLength));
    record.put((byte) 1).put((byte) 0).putShort((short) bodyLength); // ClientHello, 24-bit length
    record.put(hello.array(), 0, bodyLength);
    return record.array();
  }

  /** A protocol-v1 frame: magic, version 1, flags 0, command, reserved, seq, length, body. */
  static byte[] frame(int command, int seq, JsonObject body) {
    byte[] raw = body.encode().getBytes(UTF_8);
    ByteBuffer frame = ByteBuffer.allocate(16 + raw.length);
    frame.putShort((short) 0x4352).put((byte) 1).put((byte) 0);
    frame.putShort((short) command).putShort((short) 0).putInt(seq).putInt(raw.length).put(raw);
    return frame.array();
  }

  /** Reads one protocol-v1 frame's body. */
  static JsonObject readFrame(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    byte[] header = new byte[16];
    in.readFully(header);
    int length = ByteBuffer.wrap(header, 12, 4).getInt();
    byte[] body = new byte[length];
    in.readFully(body);
    return new JsonObject(new String(body, UTF_8));
  }

  /** Everything {@code socket} receives until the peer closes it (or resets it). */
  static byte[] readUntilClosed(Socket socket) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] chunk = new byte[4096];
    try {
      InputStream in = socket.getInputStream();
      for (int n; (n = in.read(chunk)) >= 0; ) {
        received.write(chunk, 0, n);
      }
    } catch (SocketException reset) {
      // a reset is a close too
    }
    return received.toByteArray();
  }
}
