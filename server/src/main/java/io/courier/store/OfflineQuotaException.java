package io.courier.store;

/**
 * A write refused because its receiver already has {@link SqlStoreOptions#offlineMaxPerUser()}
 * offline messages waiting: nothing of it was stored. Room comes back as the receiver pulls and
 * acknowledges, or as the retention purge deletes old messages.
 */
public final class OfflineQuotaException extends RuntimeException {
  private final String uid;
  private final int appcode;

  public OfflineQuotaException(String uid, int appcode, int max) {
    super(
        "receiver " + uid + "/" + appcode + " has " + max + " offline messages waiting",
        null,
        false,
        false);
    this.uid = uid;
    this.appcode = appcode;
  }

  public String uid() {
    return uid;
  }

  public int appcode() {
    return appcode;
  }
}
