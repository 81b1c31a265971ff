package io.courier.bridge;

/**
 * Which business one bridge connection acts for. A connection is one business for good: the one
 * whose client certificate it showed in the TLS handshake, else the one whose secret its first
 * frame carried. Every frame but {@code ping} must then carry that business's secret (a connection
 * known by its certificate may leave the secret out), never another's. On an open bridge ({@link
 * Businesses#open()}) every connection is the open business, whatever its frames carry. Not
 * thread-safe: one per connection, on its event loop.
 */
final class Identity {
  private final Businesses businesses;
  private final boolean certified;
  private Business business;

  /**
   * @param certified the business the connection's client certificate identifies, or null
   */
  Identity(Businesses businesses, Business certified) {
    this.businesses = businesses;
    this.certified = certified != null;
    this.business = certified != null ? certified : businesses.open();
  }

  /**
   * The business a frame carrying {@code secret} (null: none) acts for, or null when it is refused.
   */
  Business of(String secret) {
    if (business == null) {
      business = secret == null ? null : businesses.bySecret(secret);
      return business;
    }
    if (business == businesses.open()) {
      return business;
    }
    if (secret == null) {
      return certified ? business : null;
    }
    return business.hasSecret(secret) ? business : null;
  }

  /** The business the connection acts for, or null while it has not shown a credential. */
  Business business() {
    return business;
  }
}
