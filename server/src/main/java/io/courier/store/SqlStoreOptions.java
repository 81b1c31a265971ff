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
 * @param purgeBatchRows most rows of one table one purge deletes; a purge that deletes this many
 *     runs again at once
 * @param offlineMaxPerUser most offline messages one receiver {@code (to_uid, to_appcode)} may have
 *     waiting; a write that would pass it is refused with {@link OfflineQuotaException}; 0 for no
 *     limit
 * @param offlineRetention how long an offline message waits for its receiver before the purge
 *     deletes it; zero keeps it until it is acknowledged
 * @param historyRetention how long a history row is kept; zero keeps it forever
 */
public record SqlStoreOptions(
    int maxQueuedWrites,
    int maxBatchWrites,
    Duration dedupRetention,
    Duration purgeInterval,
    int purgeBatchRows,
    int offlineMaxPerUser,
    Duration offlineRetention,
    Duration historyRetention) {
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

  /** 10,000 messages: far more than a phone pulls in a day, far less than a disk. */
  public static final int DEFAULT_OFFLINE_MAX_PER_USER = 10_000;

  /** 30 days. */
  public static final Duration DEFAULT_OFFLINE_RETENTION = Duration.ofDays(30);

  /** 180 days. */
  public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(180);

  public SqlStoreOptions {
    if (maxQueuedWrites < 1 || maxBatchWrites < 1 || purgeBatchRows < 1) {
      throw new IllegalArgumentException(
          "maxQueuedWrites, maxBatchWrites and purgeBatchRows must be positive");
    }
    if (dedupRetention.isNegative() || dedupRetention.isZero() || purgeInterval.toMillis() < 1) {
      throw new IllegalArgumentException("dedupRetention and purgeInterval must be at least 1 ms");
    }
    if (offlineMaxPerUser < 0 || offlineRetention.isNegative() || historyRetention.isNegative()) {
      throw new IllegalArgumentException(
          "offlineMaxPerUser, offlineRetention and historyRetention must not be negative");
    }
  }

  /** The given tuning with the default quotas and retention. */
  public SqlStoreOptions(
      int maxQueuedWrites,
      int maxBatchWrites,
      Duration dedupRetention,
      Duration purgeInterval,
      int purgeBatchRows) {
    this(
        maxQueuedWrites,
        maxBatchWrites,
        dedupRetention,
        purgeInterval,
        purgeBatchRows,
        DEFAULT_OFFLINE_MAX_PER_USER,
        DEFAULT_OFFLINE_RETENTION,
        DEFAULT_HISTORY_RETENTION);
  }

  /** These options with another offline cap and other retention periods. */
  public SqlStoreOptions withQuotas(
      int offlineMaxPerUser, Duration offlineRetention, Duration historyRetention) {
    return new SqlStoreOptions(
        maxQueuedWrites,
        maxBatchWrites,
        dedupRetention,
        purgeInterval,
        purgeBatchRows,
        offlineMaxPerUser,
        offlineRetention,
        historyRetention);
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
