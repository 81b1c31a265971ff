package io.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.message.Message;
import io.vertx.core.Future;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract on H2 files, and what only the embedded store can be asked: its queue, its file, its
 * purge.
 */
class EmbeddedMessageStoreTest extends MessageStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Future<MessageStore> openStore(SqlStoreOptions options) {
    return EmbeddedStore.open(vertx, dataDir.toString(), options);
  }

  @Test
  void theDataDirectoryIsCreated() {
    Path nested = dataDir.resolve("a/b");
    MessageStore other = await(EmbeddedStore.open(vertx, nested.toString()));
    await(other.close());

    assertTrue(Files.isRegularFile(nested.resolve(EmbeddedStore.DATABASE_NAME + ".mv.db")));
  }

  @Test
  void closeReleasesTheDatabaseFile() throws Exception {
    await(store.close());

    try (FileChannel file =
        FileChannel.open(
            dataDir.resolve(EmbeddedStore.DATABASE_NAME + ".mv.db"),
            StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
      FileLock lock = file.tryLock();
      assertNotNull(lock, "another process holds the database file");
      lock.release();
    }
  }

  @Test
  void thisH2LetsTheFileBeCompactedWhileOpen() throws Exception {
    H2Housekeeping housekeeping = new H2Housekeeping(vertx, connect());

    assertTrue(
        housekeeping.compacts(), "H2's MVStore is out of reach: the file would grow without bound");
    await(housekeeping.stop());
  }

  @Test
  void aFullWriteQueueFailsFastAndKeepsTheRest() {
    MessageStore small =
        await(
            EmbeddedStore.open(
                vertx,
                dataDir.resolve("small").toString(),
                new SqlStoreOptions(
                    10,
                    5,
                    SqlStoreOptions.DEFAULT_DEDUP_RETENTION,
                    SqlStoreOptions.DEFAULT_PURGE_INTERVAL,
                    SqlStoreOptions.DEFAULT_PURGE_BATCH_ROWS)));
    try {
      List<Message> messages = new ArrayList<>();
      List<Future<MessageStore.Accepted>> accepted = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        Message message = c2c(nextMsgid(), "alice", 101, "bob", 102);
        messages.add(message);
        accepted.add(small.acceptC2c(message, "cmid-" + i));
      }

      List<Long> stored = new ArrayList<>();
      int overloaded = 0;
      for (int i = 0; i < messages.size(); i++) {
        Future<MessageStore.Accepted> result = accepted.get(i);
        await(result.otherwiseEmpty());
        if (result.succeeded()) {
          stored.add(messages.get(i).msgid());
        } else {
          assertInstanceOf(StoreOverloadedException.class, result.cause());
          overloaded++;
        }
      }
      assertTrue(overloaded > 0, "nothing was refused");
      assertFalse(stored.isEmpty(), "nothing was stored");
      List<Long> pulled = new ArrayList<>();
      MessageStore.Pulled page;
      do {
        page =
            await(
                small.pull("bob", 102, pulled.isEmpty() ? 0 : pulled.get(pulled.size() - 1), 200));
        pulled.addAll(msgids(page.messages()));
      } while (page.more());
      assertEquals(stored, pulled);
    } finally {
      await(small.close());
    }
  }

  @Test
  void aWriteTheDatabaseRefusesFailsAloneInItsBatch() throws SQLException {
    try (Connection sql = connect()) {
      sql.createStatement()
          .execute(
              "ALTER TABLE offline_message ADD CONSTRAINT no_poison CHECK (to_uid <> 'poison')");
      List<Message> messages = new ArrayList<>();
      List<Future<MessageStore.Accepted>> accepted = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        Message message = c2c(nextMsgid(), "alice", 101, i == 50 ? "poison" : "bob", 102);
        messages.add(message);
        accepted.add(store.acceptC2c(message, "cmid-" + i));
      }

      List<Message> stored = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        if (i == 50) {
          assertFails(accepted.get(i));
        } else {
          assertFalse(await(accepted.get(i)).duplicate());
          stored.add(messages.get(i));
        }
      }
      assertEquals(stored, pullAll("bob", 102));
      assertEquals(
          List.of(), await(store.history("alice", "poison", Long.MAX_VALUE, 50)).messages());

      sql.createStatement().execute("ALTER TABLE offline_message DROP CONSTRAINT no_poison");
      Message retried = c2c(nextMsgid(), "alice", 101, "poison", 102);
      assertEquals(
          new MessageStore.Accepted(retried.msgid(), retried.senddate(), false),
          await(store.acceptC2c(retried, "cmid-50")));
    }
  }

  @Test
  void aLostDatabaseFailsEveryOperation() throws Exception {
    Message message = c2c(nextMsgid(), "alice", 101, "bob", 102);
    await(store.acceptC2c(message, "cmid-1"));

    try (Connection sql = connect()) {
      sql.createStatement().execute("SHUTDOWN");
    }
    Files.delete(dataDir.resolve(EmbeddedStore.DATABASE_NAME + ".mv.db"));

    assertFails(store.acceptC2c(c2c(nextMsgid(), "alice", 101, "bob", 102), "cmid-2"));
    assertFails(store.storeOffline(List.of(s2c(nextMsgid(), "bob", 102))));
    assertFails(store.removeOfflineUpTo("bob", 102, Long.MAX_VALUE));
    assertFails(store.removeOfflineListed("bob", 102, List.of(message.msgid())));
    assertFails(store.removeOffline("bob", 102, message.msgid()));
    assertFails(store.pull("bob", 102, 0, 50));
    assertFails(store.history("alice", "bob", Long.MAX_VALUE, 50));
    assertFails(store.maxMsgid());
  }

  @Test
  void expiredCmidsArePurged() throws Exception {
    await(store.close());
    store =
        await(
            EmbeddedStore.open(
                vertx,
                dataDir.toString(),
                new SqlStoreOptions(
                    SqlStoreOptions.DEFAULT_MAX_QUEUED_WRITES,
                    SqlStoreOptions.DEFAULT_MAX_BATCH_WRITES,
                    Duration.ofMillis(1),
                    Duration.ofMillis(50),
                    10)));
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 35; i++) {
      Message message = c2c(nextMsgid(), "alice", 101, "bob", 102);
      messages.add(message);
      await(store.acceptC2c(message, "cmid-" + i));
    }

    try (Connection sql = connect()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (count(sql, "send_dedup") > 0) {
        assertTrue(System.nanoTime() < deadline, "send_dedup still has rows");
        Thread.sleep(20);
      }
      assertEquals(35, count(sql, "offline_message"));
      assertEquals(70, count(sql, "user_message"));
    }
    Message resend = c2c(nextMsgid(), "alice", 101, "bob", 102);
    assertFalse(await(store.acceptC2c(resend, "cmid-0")).duplicate());
  }

  /**
   * Version 2 adds the given index to a version-1 database with rows, and runs again harmlessly on
   * a node killed before it recorded the version.
   */
  @Test
  void theGivenIndexMigrationUpgradesAVersionOneDatabaseAndRunsTwice() throws Exception {
    Message waiting = s2c(nextMsgid(), "bob", 102);
    await(store.storeOffline(List.of(waiting)));
    await(store.close());
    try (Connection sql = connect()) {
      sql.createStatement().execute("DROP INDEX " + SqlDialect.GIVEN_INDEX);
      sql.createStatement().execute("UPDATE schema_version SET version = 1");
    }

    for (int run = 0; run < 2; run++) {
      store = await(openStore());
      await(store.close());
      try (Connection sql = connect()) {
        assertEquals(SqlDialect.H2.migrations().size(), version(sql));
        assertEquals(
            1,
            count(
                sql,
                "information_schema.indexes WHERE LOWER(index_name) = '"
                    + SqlDialect.GIVEN_INDEX
                    + "'"));
        sql.createStatement().execute("UPDATE schema_version SET version = 1");
      }
    }
    store = await(openStore());
    assertEquals(List.of(waiting), await(store.pull("bob", 102, 0, 50)).messages());
  }

  /**
   * The last version adds the senddate indexes of the retention purge, and runs again harmlessly.
   */
  @Test
  void theSenddateIndexMigrationUpgradesAVersionTwoDatabaseAndRunsTwice() throws Exception {
    // the last migration is the one that adds them, whatever its number
    int before = SqlDialect.H2.migrations().size() - 1;
    await(store.close());
    try (Connection sql = connect()) {
      sql.createStatement().execute("DROP INDEX " + SqlDialect.OFFLINE_SENDDATE_INDEX);
      sql.createStatement().execute("DROP INDEX " + SqlDialect.HISTORY_SENDDATE_INDEX);
      sql.createStatement().execute("UPDATE schema_version SET version = " + before);
    }

    for (int run = 0; run < 2; run++) {
      store = await(openStore());
      await(store.close());
      try (Connection sql = connect()) {
        assertEquals(SqlDialect.H2.migrations().size(), version(sql));
        assertEquals(
            2,
            count(
                sql,
                "information_schema.indexes WHERE LOWER(index_name) IN ('"
                    + SqlDialect.OFFLINE_SENDDATE_INDEX
                    + "', '"
                    + SqlDialect.HISTORY_SENDDATE_INDEX
                    + "')"));
        sql.createStatement().execute("UPDATE schema_version SET version = " + before);
      }
    }
    store = await(openStore());
  }

  private static long version(Connection sql) throws SQLException {
    try (Statement statement = sql.createStatement();
        ResultSet rows = statement.executeQuery("SELECT version FROM schema_version")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** A plain JDBC connection to the store's database, which it shares while the store is open. */
  private Connection connect() throws SQLException {
    return DriverManager.getConnection(EmbeddedStore.jdbcUrl(dataDir.toAbsolutePath()), "sa", "");
  }

  private static long count(Connection sql, String table) throws SQLException {
    try (Statement statement = sql.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
