package io.courier.store;

import java.time.Duration;

/**
 * Tuning of a {@link SqlMessageStore}; {@link #defaults()} is what the embedded store uses.
 *
 * @param maxQueuedWrites writes that may wait for the next group commit; one more fails at once
 *     with {@link StoreOverloadedException} rather than growing the queue
 * @param maxBatchWrites most writes committed by one transaction; bounds a transaction's size and
 *     time
 * @param dedupRetention how long a cmid is remembered: a resend after this is a new message
 * @param purgeInterval how often the dedup rows older than {@code dedupRetention} are deleted
 * @param purgeBatchRows most dedup rows one purge deletes; a purge that deletes this many runs
 *     again at once
 */
public record SqlStoreOptions(
    int maxQueuedWrites,
    int maxBatchWrites,
    Duration dedupRetention,
    Duration purgeInterval,
    int purgeBatchRows) {
  /** 10,000 writes: about one second of the target rate, a few MB of messages. */
  public static final int DEFAULT_MAX_QUEUED_WRITES = 10_000;

  /**
   * 500 writes: large enough that a commit's cost vanishes per message, small enough to commit in
   * milliseconds.
   */
  public static final int DEFAULT_MAX_BATCH_WRITES = 500;

  /** 7 days: clients resend within minutes; a week covers a phone that was off for days. */
  public static final Duration DEFAULT_DEDUP_RETENTION = Duration.ofDays(7);

  /** 10 minutes. */
  public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(10);

  /** 5,000 rows: one purge transaction stays short next to the client writes of its batch. */
  public static final int DEFAULT_PURGE_BATCH_ROWS = 5_000;

  public SqlStoreOptions {
    if (maxQueuedWrites < 1 || maxBatchWrites < 1 || purgeBatchRows < 1) {
      throw new IllegalArgumentException(
          "maxQueuedWrites, maxBatchWrites and purgeBatchRows must be positive");
    }
    if (dedupRetention.isNegative() || dedupRetention.isZero() || purgeInterval.toMillis() < 1) {
      throw new IllegalArgumentException("dedupRetention and purgeInterval must be at least 1 ms");
    }
  }

  public static SqlStoreOptions defaults() {
    return new SqlStoreOptions(
        DEFAULT_MAX_QUEUED_WRITES,
        DEFAULT_MAX_BATCH_WRITES,
        DEFAULT_DEDUP_RETENTION,
        DEFAULT_PURGE_INTERVAL,
        DEFAULT_PURGE_BATCH_ROWS);
  }
}
