package io.courier.store;

/**
 * Memory of the embedded store ({@link RocksDatabase}): both bounds hold whatever the data size.
 *
 * @param blockCacheBytes the LRU cache of data, index and Bloom filter blocks read from the files
 * @param writeBufferBytes all memtables together (writes not yet flushed to a file); a flush starts
 *     when they reach it. Also bounds what a restart after a crash replays from the write-ahead log
 */
public record RocksTuning(long blockCacheBytes, long writeBufferBytes) {
  private static final long MIB = 1024 * 1024;

  /**
   * 64 MiB: the index and Bloom filter blocks of the files most read and the rows PULLs read
   * lately; the cache evicts the rest, which is then read from the files again.
   */
  public static final int DEFAULT_BLOCK_CACHE_MB = 64;

  /**
   * 64 MiB: at 10,000 C2C messages per second (about 2 KB of rows each), a flush every few seconds,
   * and a replay of at most that much at a restart after a crash.
   */
  public static final int DEFAULT_WRITE_BUFFER_MB = 64;

  /** A memtable below this size flushes too often to be useful. */
  static final long MIN_WRITE_BUFFER_BYTES = 4 * MIB;

  public RocksTuning {
    if (blockCacheBytes < MIB || writeBufferBytes < MIN_WRITE_BUFFER_BYTES) {
      throw new IllegalArgumentException(
          "the block cache needs at least 1 MiB and the write buffers at least 4 MiB");
    }
  }

  public static RocksTuning ofMegabytes(int blockCacheMb, int writeBufferMb) {
    return new RocksTuning(blockCacheMb * MIB, writeBufferMb * MIB);
  }

  public static RocksTuning defaults() {
    return ofMegabytes(DEFAULT_BLOCK_CACHE_MB, DEFAULT_WRITE_BUFFER_MB);
  }
}
