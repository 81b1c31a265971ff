package io.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on two real MySQL/MariaDB shards, and what only sharding has: where rows land, and a
 * C2C message between two shards whose second write failed being repaired by the sender's resend.
 */
class MySqlMessageStoreTest extends MessageStoreContract {
  private static final List<String> DATABASES =
      List.of("courier_test_shard0", "courier_test_shard1");
  private boolean databasesFresh;

  @BeforeAll
  static void mysqlRuns() {
    LocalServices.requireMysql();
  }

  /**
   * Empty databases at the first open of each test; the same ones when a test reopens the store.
   */
  @Override
  protected Future<MessageStore> openStore(SqlStoreOptions options) {
    if (!databasesFresh) {
      MySqlDatabases.recreate(vertx, DATABASES);
      databasesFresh = true;
    }
    return MySqlStore.open(vertx, DATABASES.stream().map(MySqlDatabases::uri).toList(), options);
  }

  @Test
  void eachReceiversRowsLandInExactlyOneShardAndBothShardsAreUsed() {
    List<String> receivers = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      receivers.add("shard-user-" + i);
    }
    long msgid = 5_000;
    List<Message> messages = new ArrayList<>();
    for (String receiver : receivers) {
      messages.add(
          new Message(
              ++msgid, Kind.S2C, "", 0, receiver, 201, 1, "order", 1, "log-shard-" + msgid));
    }
    await(store.storeOffline(messages));

    Set<Integer> used = new TreeSet<>();
    for (int shard = 0; shard < DATABASES.size(); shard++) {
      Pool pool =
          MySQLBuilder.pool()
              .connectingTo(MySqlDatabases.uri(DATABASES.get(shard)))
              .using(vertx)
              .build();
      try {
        for (var row :
            pool.query("SELECT to_uid, COUNT(*) AS n FROM offline_message GROUP BY to_uid")
                .execute()
                .await()) {
          String receiver = row.getString("to_uid");
          assertEquals(
              shard, Shards.of(receiver, DATABASES.size()), receiver + " is in the wrong shard");
          assertEquals(1, row.getLong("n"));
          used.add(shard);
        }
      } finally {
        pool.close().await();
      }
    }
    assertEquals(Set.of(0, 1), used, "both shards hold rows");
    for (Message message : messages) {
      assertEquals(List.of(message), await(store.pull(message.toUid(), 201, 0, 50)).messages());
    }
  }

  @Test
  void historyAndPullAreCompleteAcrossShards() {
    String alice = uidOnShard(0, "alice");
    String bob = uidOnShard(1, "bob");
    List<Long> sent = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      boolean fromAlice = i % 2 == 0;
      Message message =
          new Message(
              9_000 + i,
              Kind.C2C,
              fromAlice ? alice : bob,
              101,
              fromAlice ? bob : alice,
              101,
              1,
              "m" + i,
              1,
              "log-cross-" + i);
      assertFalse(await(store.acceptC2c(message, "c" + i)).duplicate());
      sent.add(message.msgid());
    }
    List<Long> aliceHistory =
        await(store.history(alice, bob, Long.MAX_VALUE, 200)).messages().stream()
            .map(Message::msgid)
            .toList();
    List<Long> bobHistory =
        await(store.history(bob, alice, Long.MAX_VALUE, 200)).messages().stream()
            .map(Message::msgid)
            .toList();
    List<Long> newestFirst = new ArrayList<>(sent);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, aliceHistory);
    assertEquals(newestFirst, bobHistory);
    assertEquals(15, await(store.pull(bob, 101, 0, 200)).messages().size());
    assertEquals(15, await(store.pull(alice, 101, 0, 200)).messages().size());
  }

  @Test
  void aResendRepairsAMessageWhoseReceiverShardWasNotWritten() {
    String sender = uidOnShard(0, "sender");
    String receiver = uidOnShard(1, "receiver");
    ShardedMessageStore sharded = (ShardedMessageStore) store;
    Message first =
        new Message(
            12_345, Kind.C2C, sender, 101, receiver, 101, 1, "half written", 77, "log-repair");
    // the sender's side committed, then the node died before the receiver's shard was written
    await(sharded.shard(sender).recordSend(first, "cm-1", List.of()));
    assertEquals(List.of(), await(store.pull(receiver, 101, 0, 50)).messages());

    Message resend =
        new Message(
            12_999, Kind.C2C, sender, 101, receiver, 101, 1, "half written", 99, "log-repair");
    MessageStore.Accepted accepted = await(store.acceptC2c(resend, "cm-1"));
    assertEquals(
        new MessageStore.Accepted(12_345, 77, true),
        accepted,
        "the first msgid, as for any resend");
    assertEquals(List.of(first), await(store.pull(receiver, 101, 0, 50)).messages());
    assertEquals(1, await(store.history(receiver, sender, Long.MAX_VALUE, 50)).messages().size());

    assertEquals(
        accepted,
        await(store.acceptC2c(resend, "cm-1")),
        "once complete, a resend changes nothing");
    assertEquals(1, await(store.pull(receiver, 101, 0, 50)).messages().size());
  }

  /**
   * Version 2 adds the given index to version-1 shards with rows, and runs again harmlessly on a
   * node killed before it recorded the version: MySQL 8 has no {@code CREATE INDEX IF NOT EXISTS}.
   */
  @Test
  void theGivenIndexMigrationUpgradesVersionOneShardsAndRunsTwice() {
    Message waiting =
        new Message(7_001, Kind.S2C, "", 0, "migrated-bob", 201, 1, "order", 1, "log-migrated");
    await(store.storeOffline(List.of(waiting)));
    await(store.close());
    onEachShard(
        "DROP INDEX " + SqlDialect.GIVEN_INDEX + " ON offline_message",
        "UPDATE schema_version SET version = 1");

    String migratedWithOneIndex = SqlDialect.MYSQL.migrations().size() + " 1";
    for (int run = 0; run < 2; run++) {
      store = await(openStore());
      await(store.close());
      assertEquals(
          List.of(migratedWithOneIndex, migratedWithOneIndex),
          onEachShard(
              "SELECT CONCAT((SELECT version FROM schema_version), ' ',"
                  + " (SELECT COUNT(DISTINCT index_name) FROM information_schema.statistics"
                  + " WHERE table_schema = DATABASE() AND index_name = '"
                  + SqlDialect.GIVEN_INDEX
                  + "')) AS v"));
      onEachShard("UPDATE schema_version SET version = 1");
    }
    store = await(openStore());
    assertEquals(List.of(waiting), await(store.pull("migrated-bob", 201, 0, 50)).messages());
  }

  /** Version 4 adds the senddate indexes of the retention purge, and runs again harmlessly. */
  @Test
  void theSenddateIndexMigrationUpgradesVersionThreeShardsAndRunsTwice() {
    int before = 3;
    await(store.close());
    onEachShard(
        "DROP INDEX " + SqlDialect.OFFLINE_SENDDATE_INDEX + " ON offline_message",
        "DROP INDEX " + SqlDialect.HISTORY_SENDDATE_INDEX + " ON user_message",
        "UPDATE schema_version SET version = " + before);

    String migratedWithTwoIndexes = SqlDialect.MYSQL.migrations().size() + " 2";
    for (int run = 0; run < 2; run++) {
      store = await(openStore());
      await(store.close());
      assertEquals(
          List.of(migratedWithTwoIndexes, migratedWithTwoIndexes),
          onEachShard(
              "SELECT CONCAT((SELECT version FROM schema_version), ' ',"
                  + " (SELECT COUNT(DISTINCT index_name) FROM information_schema.statistics"
                  + " WHERE table_schema = DATABASE() AND index_name IN ('"
                  + SqlDialect.OFFLINE_SENDDATE_INDEX
                  + "', '"
                  + SqlDialect.HISTORY_SENDDATE_INDEX
                  + "'))) AS v"));
      onEachShard("UPDATE schema_version SET version = " + before);
    }
    store = await(openStore());
  }

  /**
   * Version 5 adds the terminals table and the columns of copies for other terminals, keeps the
   * waiting rows, and runs again harmlessly.
   */
  @Test
  void theTerminalsMigrationUpgradesVersionFourShardsAndRunsTwice() {
    Message waiting =
        new Message(7_002, Kind.S2C, "", 0, "migrated-eve", 201, 1, "order", 1, "log-migrated");
    await(store.storeOffline(List.of(waiting)));
    await(store.close());
    onEachShard(
        "DROP TABLE user_terminal",
        "ALTER TABLE offline_message DROP COLUMN addressed_uid, DROP COLUMN addressed_appcode",
        "UPDATE schema_version SET version = 4");

    String migrated = SqlDialect.MYSQL.migrations().size() + " 3";
    for (int run = 0; run < 2; run++) {
      store = await(openStore());
      await(store.close());
      assertEquals(
          List.of(migrated, migrated),
          onEachShard(
              "SELECT CONCAT((SELECT version FROM schema_version), ' ',"
                  + " (SELECT COUNT(*) FROM information_schema.columns"
                  + " WHERE table_schema = DATABASE() AND ((table_name = 'offline_message'"
                  + " AND column_name IN ('addressed_uid', 'addressed_appcode'))"
                  + " OR (table_name = 'user_terminal' AND column_name = 'uid')))) AS v"));
      onEachShard("UPDATE schema_version SET version = 4");
    }
    store = await(openStore());
    assertEquals(List.of(waiting), await(store.pull("migrated-eve", 201, 0, 50)).messages());
    await(store.addTerminal("migrated-eve", 101, 1));
    assertEquals(Set.of(101), await(store.terminals("migrated-eve")));
  }

  /**
   * Nodes of a cluster start together on the same empty shards: each one's migrations run while it
   * holds the database's schema lock, so none fails on another's half-made schema (two nodes
   * creating the same index raced to "Duplicate key name").
   */
  @Test
  void storesOpeningTogetherOnEmptyShardsAllOpen() {
    await(store.close());
    MySqlDatabases.recreate(vertx, DATABASES);
    List<Future<MessageStore>> opening = new ArrayList<>();
    for (int node = 0; node < 4; node++) {
      opening.add(
          MySqlStore.open(
              vertx,
              DATABASES.stream().map(MySqlDatabases::uri).toList(),
              SqlStoreOptions.defaults()));
    }
    List<MessageStore> opened = new ArrayList<>();
    for (Future<MessageStore> open : opening) {
      opened.add(await(open));
    }
    String current = Integer.toString(SqlDialect.MYSQL.migrations().size());
    assertEquals(
        List.of(current, current), onEachShard("SELECT version FROM schema_version WHERE id = 1"));
    for (MessageStore other : opened.subList(1, opened.size())) {
      await(other.close());
    }
    store = opened.get(0);
  }

  @Test
  void tablesOfSchemaVersion1AreMigratedToCompareExactly() {
    await(store.close());
    MySqlDatabases.recreate(vertx, DATABASES);
    // dave and bob share shard 0: all rows of the message are there
    Message old = c2c(nextMsgid(), "dave", 101, "bob", 102);
    for (String database : DATABASES) {
      Pool pool =
          MySQLBuilder.pool().connectingTo(MySqlDatabases.uri(database)).using(vertx).build();
      try {
        pool.query(SqlDialect.MYSQL.schemaVersionTable()).execute().await();
        for (String ddl : SqlDialect.MYSQL.migrations().get(0)) {
          pool.query(ddl).execute().await();
        }
        pool.query("INSERT INTO schema_version (id, version) VALUES (1, 1)").execute().await();
        if (database.equals(DATABASES.get(Shards.of("bob", DATABASES.size())))) {
          insertAsVersion1(pool, old, "x");
        }
      } finally {
        pool.close().await();
      }
    }

    store = await(openStore());

    Message other = c2c(nextMsgid(), "dave", 101, "bob", 102);
    assertEquals(
        new MessageStore.Accepted(old.msgid(), old.senddate(), true),
        await(store.acceptC2c(c2c(nextMsgid(), "dave", 101, "bob", 102), "x")));
    assertFalse(await(store.acceptC2c(other, "x ")).duplicate());
    assertEquals(List.of(old, other), await(store.pull("bob", 102, 0, 50)).messages());
    assertEquals(
        List.of(other, old), await(store.history("dave", "bob", Long.MAX_VALUE, 50)).messages());
  }

  /** The rows {@code acceptC2c} wrote at schema version 1, for sender and receiver of one shard. */
  private static void insertAsVersion1(Pool pool, Message message, String cmid) {
    pool.preparedQuery(
            "INSERT INTO send_dedup (from_uid, from_appcode, cmid, msgid, senddate) VALUES (?, ?, ?, ?, ?)")
        .execute(
            Tuple.of(
                message.fromUid(),
                message.fromAppcode(),
                cmid,
                message.msgid(),
                message.senddate()))
        .await();
    String columns =
        "msgid, to_uid, to_appcode, from_uid, from_appcode, senddate, msgcontent, kind, msgtype, logid";
    Tuple values =
        Tuple.of(
            message.msgid(),
            message.toUid(),
            message.toAppcode(),
            message.fromUid(),
            message.fromAppcode(),
            message.senddate(),
            message.content(),
            message.kind().wire(),
            message.msgtype(),
            message.logid());
    pool.preparedQuery(
            "INSERT INTO offline_message (" + columns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .execute(values)
        .await();
    for (String[] ownerAndPeer :
        new String[][] {
          {message.fromUid(), message.toUid()}, {message.toUid(), message.fromUid()}
        }) {
      Tuple row = Tuple.of(ownerAndPeer[0], ownerAndPeer[1]);
      for (int i = 0; i < values.size(); i++) {
        row.addValue(values.getValue(i));
      }
      pool.preparedQuery(
              "INSERT INTO user_message (owner_uid, peer_uid, "
                  + columns
                  + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .execute(row)
          .await();
    }
  }

  /**
   * Runs {@code statements} on each shard; the result is the last one's first column, per shard.
   */
  private static List<String> onEachShard(String... statements) {
    List<String> results = new ArrayList<>();
    for (String database : DATABASES) {
      Pool pool =
          MySQLBuilder.pool().connectingTo(MySqlDatabases.uri(database)).using(vertx).build();
      try {
        String last = null;
        for (String statement : statements) {
          var rows = pool.query(statement).execute().await();
          last =
              rows.iterator().hasNext() ? String.valueOf(rows.iterator().next().getValue(0)) : null;
        }
        results.add(last);
      } finally {
        pool.close().await();
      }
    }
    return results;
  }

  private static String uidOnShard(int shard, String prefix) {
    for (int i = 0; ; i++) {
      String uid = prefix + "-" + i;
      if (Shards.of(uid, DATABASES.size()) == shard) {
        return uid;
      }
    }
  }
}
