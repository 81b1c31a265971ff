package io.courier.tls;

import io.courier.tls.TlsFileException.Part;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * The PEM files of one listener, read and checked: the certificate chain parses, the key parses and
 * is the key of the chain's leaf (a file written between the certificate and its key must not
 * replace a working pair), and the client CA, if any, parses. Its {@link #fingerprint()} tells a
 * reload whether anything changed.
 *
 * <p>The files are parsed with Vert.x's own PEM reader, the one the server will use, so a bundle
 * that reads here also serves.
 */
public final class PemBundle {
  private static final Pattern KEY_BLOCK =
      Pattern.compile("-----BEGIN (RSA |EC )?PRIVATE KEY-----");
  private static final String CERT_BLOCK = "-----BEGIN CERTIFICATE-----";
  private static final byte[] PROBE = "courier key check".getBytes(StandardCharsets.US_ASCII);

  private final TlsSettings settings;
  private final Buffer cert;
  private final Buffer key;
  private final Buffer clientCa;
  private final X509Certificate leaf;
  private final String fingerprint;

  private PemBundle(
      TlsSettings settings,
      Buffer cert,
      Buffer key,
      Buffer clientCa,
      X509Certificate leaf,
      String fingerprint) {
    this.settings = settings;
    this.cert = cert;
    this.key = key;
    this.clientCa = clientCa;
    this.leaf = leaf;
    this.fingerprint = fingerprint;
  }

  /**
   * Reads and checks the files of {@code settings}; blocking.
   *
   * @throws TlsFileException naming the file and what is wrong with it
   */
  public static PemBundle read(TlsSettings settings) throws TlsFileException {
    byte[] certBytes = readFile(Part.CERT, settings.cert());
    byte[] keyBytes = readFile(Part.KEY, settings.key());
    byte[] caBytes =
        settings.clientCa() == null ? null : readFile(Part.CLIENT_CA, settings.clientCa());
    requireCertificates(Part.CERT, settings.cert(), certBytes);
    String keyText = new String(keyBytes, StandardCharsets.US_ASCII);
    if (keyText.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new TlsFileException(
          Part.KEY, settings.key() + ": an encrypted private key; give the key unencrypted");
    }
    if (!KEY_BLOCK.matcher(keyText).find()) {
      throw new TlsFileException(
          Part.KEY,
          settings.key()
              + ": not a PEM private key (no -----BEGIN PRIVATE KEY----- or RSA/EC PRIVATE KEY"
              + " block)");
    }
    Buffer cert = Buffer.buffer(certBytes);
    Buffer key = Buffer.buffer(keyBytes);
    X509Certificate leaf = checkPair(settings, cert, key);
    Buffer clientCa = null;
    if (caBytes != null) {
      requireCertificates(Part.CLIENT_CA, settings.clientCa(), caBytes);
      clientCa = Buffer.buffer(caBytes);
      try {
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(caBytes));
      } catch (CertificateException e) {
        throw new TlsFileException(
            Part.CLIENT_CA, settings.clientCa() + ": not a PEM certificate: " + e.getMessage(), e);
      }
    }
    return new PemBundle(
        settings, cert, key, clientCa, leaf, fingerprint(certBytes, keyBytes, caBytes));
  }

  public TlsSettings settings() {
    return settings;
  }

  public Buffer cert() {
    return cert;
  }

  public Buffer key() {
    return key;
  }

  /** The client CA's certificates, or null when clients need none. */
  public Buffer clientCa() {
    return clientCa;
  }

  /** The certificate the listener shows: the chain's first. */
  public X509Certificate leaf() {
    return leaf;
  }

  /** SHA-256 of the files' bytes, hex: equal bundles, equal files. */
  public String fingerprint() {
    return fingerprint;
  }

  /** {@code subject, valid until …}, for logs. */
  public String describe() {
    return leaf.getSubjectX500Principal().getName()
        + ", valid until "
        + leaf.getNotAfter().toInstant();
  }

  /**
   * SHA-256 of the files of {@code settings} as they are now, or the reason they cannot be read:
   * what a reload compares before it reads them in full. Blocking.
   */
  public static String fingerprintOf(TlsSettings settings) {
    try {
      return fingerprint(
          Files.readAllBytes(settings.cert()),
          Files.readAllBytes(settings.key()),
          settings.clientCa() == null ? null : Files.readAllBytes(settings.clientCa()));
    } catch (IOException | SecurityException e) {
      return "unreadable: " + e;
    }
  }

  private static byte[] readFile(Part part, Path path) throws TlsFileException {
    try {
      return Files.readAllBytes(path);
    } catch (IOException | SecurityException e) {
      throw new TlsFileException(part, path + ": cannot be read (" + e + ")", e);
    }
  }

  private static void requireCertificates(Part part, Path path, byte[] bytes)
      throws TlsFileException {
    if (!new String(bytes, StandardCharsets.US_ASCII).contains(CERT_BLOCK)) {
      throw new TlsFileException(
          part, path + ": not a PEM certificate (no " + CERT_BLOCK + " block)");
    }
  }

  /** The chain's leaf, after checking that {@code key} signs what its public key verifies. */
  private static X509Certificate checkPair(TlsSettings settings, Buffer cert, Buffer key)
      throws TlsFileException {
    PrivateKey privateKey;
    X509Certificate leaf;
    try {
      PemKeyCertOptions options = new PemKeyCertOptions().setCertValue(cert).setKeyValue(key);
      KeyStore store = options.loadKeyStore(null);
      String alias = Collections.list(store.aliases()).get(0);
      KeyManagerFactory factory = options.getKeyManagerFactory(null);
      X509KeyManager manager = x509(factory.getKeyManagers());
      privateKey = manager.getPrivateKey(alias);
      leaf = manager.getCertificateChain(alias)[0];
    } catch (Exception e) {
      throw new TlsFileException(
          Part.CERT,
          settings.cert()
              + " with "
              + settings.key()
              + ": not a PEM certificate and key: "
              + e.getMessage(),
          e);
    }
    String algorithm =
        switch (privateKey.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> null;
        };
    if (algorithm != null && !signs(algorithm, privateKey, leaf)) {
      throw new TlsFileException(
          Part.KEY,
          settings.key() + ": not the private key of the certificate in " + settings.cert());
    }
    return leaf;
  }

  private static boolean signs(String algorithm, PrivateKey key, X509Certificate leaf) {
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static X509KeyManager x509(KeyManager[] managers) {
    return List.of(managers).stream()
        .filter(X509KeyManager.class::isInstance)
        .map(X509KeyManager.class::cast)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no X.509 key manager"));
  }

  private static String fingerprint(byte[]... files) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] file : files) {
        if (file != null) {
          digest.update(Integer.toString(file.length).getBytes(StandardCharsets.US_ASCII));
          digest.update(file);
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
