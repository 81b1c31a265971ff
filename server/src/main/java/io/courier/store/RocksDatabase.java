package io.courier.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.TablePropertiesCollectorFactory;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB database of the embedded store: its column families, the options they are opened
 * with, and the native objects to close. It decides nothing about messages ({@link RocksWrites},
 * {@link RocksMessageStore} do); it is safe for any number of reading threads and one writer.
 *
 * <p>Column families, one per kind of row ({@link RocksKeys} gives the keys): {@code offline} (the
 * rows waiting for their receiver), {@code ungiven} (the offline keys no PULL has given yet, the
 * {@code state = 0} of the SQL stores), {@code history} (C2C history, one row per owner), {@code
 * dedup} (the first msgid of each cmid), {@code expiry} (every row by {@code senddate}, for the
 * retention purge), {@code inbox} (per receiver: messages waiting and the scan floor), {@code
 * terminal} (a user's terminals), {@code conversation} (read and delivered positions), the groups'
 * {@code group}, {@code group_member}, {@code group_timeline} (a group's history) and {@code
 * user_group} (the groups of each user), and {@code default} (the store's own values: the format,
 * the highest msgid).
 *
 * <p>Memory is bounded by {@link RocksTuning}: one LRU cache holds the data, index and Bloom filter
 * blocks of every column family, and the memtables of all column families are charged to it too, up
 * to the write buffer budget, so the process never holds more than the two together. Files are
 * compressed with LZ4, the last level with ZSTD. The write-ahead log is bounded to twice the write
 * buffers: a column family that holds old writes in its memtable is flushed then, so that old logs
 * can go and a restart after a crash replays at most that much.
 */
final class RocksDatabase implements AutoCloseable {
  static final String OFFLINE = "offline";
  static final String UNGIVEN = "ungiven";
  static final String HISTORY = "history";
  static final String DEDUP = "dedup";
  static final String EXPIRY = "expiry";
  static final String INBOX = "inbox";
  static final String TERMINAL = "terminal";
  static final String CONVERSATION = "conversation";
  static final String GROUP = "group";
  static final String GROUP_MEMBER = "group_member";
  static final String GROUP_TIMELINE = "group_timeline";
  static final String USER_GROUP = "user_group";

  /**
   * In the order of the handles; a family not in the database yet is created when it opens ({@code
   * createMissingColumnFamilies}), so new ones go at the end.
   */
  private static final List<String> FAMILIES =
      List.of(
          OFFLINE,
          UNGIVEN,
          HISTORY,
          DEDUP,
          EXPIRY,
          INBOX,
          TERMINAL,
          CONVERSATION,
          GROUP,
          GROUP_MEMBER,
          GROUP_TIMELINE,
          USER_GROUP);

  /**
   * File handles RocksDB keeps open: the node's 20,000 are mostly for connections. A file not open
   * is opened on its next read; its index and filter blocks are in the block cache either way.
   */
  private static final int MAX_OPEN_FILES = 1_000;

  /** Bloom filter bits per key: about 1 % false positives for the point reads of a write. */
  private static final double BLOOM_BITS_PER_KEY = 10;

  private static final long BLOCK_SIZE = 16 * 1024;

  /**
   * Files where more than half the entries of a 32k-entry window are deletions are compacted soon,
   * so that the tombstones of acknowledged offline rows do not slow the scans of an inbox for long.
   */
  private static final long DELETION_WINDOW = 32 * 1024;

  private static final long DELETION_TRIGGER = 16 * 1024;

  static {
    RocksDB.loadLibrary();
  }

  private final RocksDB db;
  private final List<AutoCloseable> natives;
  private final List<ColumnFamilyHandle> handles;
  final ColumnFamilyHandle meta;
  final ColumnFamilyHandle offline;
  final ColumnFamilyHandle ungiven;
  final ColumnFamilyHandle history;
  final ColumnFamilyHandle dedup;
  final ColumnFamilyHandle expiry;
  final ColumnFamilyHandle inbox;
  final ColumnFamilyHandle terminal;
  final ColumnFamilyHandle conversation;
  final ColumnFamilyHandle group;
  final ColumnFamilyHandle groupMember;
  final ColumnFamilyHandle groupTimeline;
  final ColumnFamilyHandle userGroup;

  private RocksDatabase(RocksDB db, List<ColumnFamilyHandle> handles, List<AutoCloseable> natives) {
    this.db = db;
    this.handles = handles;
    this.natives = natives;
    this.meta = handles.get(0);
    this.offline = handles.get(1);
    this.ungiven = handles.get(2);
    this.history = handles.get(3);
    this.dedup = handles.get(4);
    this.expiry = handles.get(5);
    this.inbox = handles.get(6);
    this.terminal = handles.get(7);
    this.conversation = handles.get(8);
    this.group = handles.get(9);
    this.groupMember = handles.get(10);
    this.groupTimeline = handles.get(11);
    this.userGroup = handles.get(12);
  }

  /** Opens or creates the database in {@code dir}; blocks. */
  static RocksDatabase open(Path dir, RocksTuning tuning) throws RocksDBException {
    List<AutoCloseable> natives = new ArrayList<>();
    try {
      LRUCache cache =
          add(natives, new LRUCache(tuning.blockCacheBytes() + tuning.writeBufferBytes()));
      WriteBufferManager buffers =
          add(natives, new WriteBufferManager(tuning.writeBufferBytes(), cache));
      BloomFilter bloom = add(natives, new BloomFilter(BLOOM_BITS_PER_KEY));
      TablePropertiesCollectorFactory deletions =
          add(
              natives,
              TablePropertiesCollectorFactory.NewCompactOnDeletionCollectorFactory(
                  DELETION_WINDOW, DELETION_TRIGGER, 0));
      BlockBasedTableConfig table =
          new BlockBasedTableConfig()
              .setBlockCache(cache)
              .setBlockSize(BLOCK_SIZE)
              .setFilterPolicy(bloom)
              .setCacheIndexAndFilterBlocks(true)
              .setPinL0FilterAndIndexBlocksInCache(true);
      long memtable =
          Math.max(RocksTuning.MIN_WRITE_BUFFER_BYTES / 2, tuning.writeBufferBytes() / 4);
      // RocksJava sets collector factories on Options only; the column families copy them
      Options template = add(natives, new Options());
      template.setTablePropertiesCollectorFactory(List.of(deletions));
      template
          .setTableFormatConfig(table)
          .setWriteBufferSize(memtable)
          .setMaxWriteBufferNumber(3)
          .setCompressionType(CompressionType.LZ4_COMPRESSION)
          .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
          .setLevelCompactionDynamicLevelBytes(true);
      ColumnFamilyOptions columns = add(natives, new ColumnFamilyOptions(template));
      DBOptions options =
          add(natives, new DBOptions())
              .setCreateIfMissing(true)
              .setCreateMissingColumnFamilies(true)
              .setWriteBufferManager(buffers)
              .setMaxTotalWalSize(2 * tuning.writeBufferBytes())
              .setMaxOpenFiles(MAX_OPEN_FILES)
              .setMaxBackgroundJobs(2)
              .setBytesPerSync(1024 * 1024)
              .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
              .setKeepLogFileNum(3)
              .setMaxLogFileSize(16 * 1024 * 1024);
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columns));
      for (String family : FAMILIES) {
        descriptors.add(new ColumnFamilyDescriptor(family.getBytes(), columns));
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles);
      return new RocksDatabase(db, handles, natives);
    } catch (RocksDBException | RuntimeException e) {
      closeAll(natives);
      throw e;
    }
  }

  private static <T extends AutoCloseable> T add(List<AutoCloseable> natives, T object) {
    natives.add(object);
    return object;
  }

  byte[] get(ColumnFamilyHandle family, byte[] key) throws RocksDBException {
    return db.get(family, key);
  }

  void write(WriteBatch batch, boolean sync) throws RocksDBException {
    try (WriteOptions options = new WriteOptions().setSync(sync)) {
      db.write(options, batch);
    }
  }

  /**
   * Visits the entries of {@code family} with keys in [{@code from}, {@code to}), ascending, or
   * descending when {@code descending}, until {@code visitor} returns false.
   */
  void scan(
      ColumnFamilyHandle family,
      byte[] from,
      byte[] to,
      boolean descending,
      BiPredicate<byte[], byte[]> visitor) {
    try (Slice lower = new Slice(from);
        Slice upper = new Slice(to);
        ReadOptions options =
            new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
        RocksIterator entries = db.newIterator(family, options)) {
      if (descending) {
        entries.seekToLast();
      } else {
        entries.seekToFirst();
      }
      while (entries.isValid() && visitor.test(entries.key(), entries.value())) {
        if (descending) {
          entries.prev();
        } else {
          entries.next();
        }
      }
      entries.status();
    } catch (RocksDBException e) {
      throw new IllegalStateException("message store scan failed: " + e.getMessage(), e);
    }
  }

  /** RocksDB's count of background errors: above 0 it refuses writes until reopened. */
  long backgroundErrors() throws RocksDBException {
    return db.getLongProperty("rocksdb.background-errors");
  }

  /** Writes every memtable to files, so that the next open replays no log. */
  void flush() throws RocksDBException {
    try (FlushOptions options = new FlushOptions().setWaitForFlush(true)) {
      db.flush(options, handles);
    }
  }

  /** Closes the database and its options; nothing may use it afterwards. */
  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    closeAll(natives);
  }

  private static void closeAll(List<AutoCloseable> natives) {
    for (int i = natives.size() - 1; i >= 0; i--) {
      try {
        natives.get(i).close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
