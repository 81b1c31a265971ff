package io.courier.store;

/**
 * A qos-1 C2S refused because its sender already has the cap of messages waiting in the C2S outbox:
 * nothing was stored. Room comes back as consumers take the sender's messages, or as the retention
 * purge deletes old ones.
 */
public final class C2sOutboxFullException extends RuntimeException {

  public C2sOutboxFullException(String uid, int appcode, int max) {
    super(
        "sender " + uid + "/" + appcode + " has " + max + " C2S messages waiting for a consumer",
        null,
        false,
        false);
  }
}
