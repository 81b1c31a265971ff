package io.courier.tls;

/**
 * A PEM file of a listener that cannot serve: unreadable, not PEM, or a key that is not the
 * certificate's.
 */
public final class TlsFileException extends Exception {
  /** Which file of {@link TlsSettings} is at fault. */
  public enum Part {
    CERT,
    KEY,
    CLIENT_CA
  }

  private final Part part;

  TlsFileException(Part part, String message) {
    super(message);
    this.part = part;
  }

  TlsFileException(Part part, String message, Throwable cause) {
    super(message, cause);
    this.part = part;
  }

  public Part part() {
    return part;
  }
}
