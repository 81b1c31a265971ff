package io.courier.store;

/**
 * A write found its key already taken by a different message: two nodes issued the same msgid
 * (docs/cluster.md section 3). The store is up and nothing of the write was stored; writing again
 * cannot help, so the caller answers 500 and never 503. A write of the same message again (same
 * sender and logid) is not a conflict: it is the retry that every write allows.
 */
public final class MsgidConflictException extends RuntimeException {
  private final long msgid;

  /**
   * @param row the table and key of the row, e.g. {@code offline_message (bob, 102)}
   */
  public MsgidConflictException(String row, long msgid, String stored, String refused) {
    super(
        "msgid "
            + msgid
            + " is already stored in "
            + row
            + " for another message ("
            + stored
            + "), not "
            + refused
            + ": two nodes issued the same msgid");
    this.msgid = msgid;
  }

  public long msgid() {
    return msgid;
  }
}
