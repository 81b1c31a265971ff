package io.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.tools.MigrateStoreCommand;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate-store}: an H2 data directory of the previous Courier, with the schema it wrote
 * (version 4), copied into the embedded store, which then answers as the H2 store did: waiting
 * messages with their delivery state, history on both sides, remembered cmids, the highest msgid.
 */
class H2MigrationTest {
  /** The H2 schema of Courier before RocksDB (its SqlDialect.H2 at version 4). */
  private static final List<String> H2_SCHEMA =
      List.of(
          "CREATE TABLE schema_version (id INT NOT NULL PRIMARY KEY, version INT NOT NULL)",
          "INSERT INTO schema_version VALUES (1, 4)",
          "CREATE TABLE offline_message (msgid BIGINT NOT NULL, to_uid VARCHAR(64) NOT NULL,"
              + " to_appcode INT NOT NULL, from_uid VARCHAR(64) NOT NULL, from_appcode INT NOT NULL,"
              + " senddate BIGINT NOT NULL, state TINYINT NOT NULL DEFAULT 0,"
              + " msgcontent VARCHAR(1000000) NOT NULL, kind VARCHAR(8) NOT NULL, msgtype INT NOT NULL,"
              + " logid VARCHAR(64) NOT NULL, PRIMARY KEY (to_uid, to_appcode, msgid))",
          "CREATE TABLE user_message (owner_uid VARCHAR(64) NOT NULL, peer_uid VARCHAR(64) NOT NULL,"
              + " msgid BIGINT NOT NULL, to_uid VARCHAR(64) NOT NULL, to_appcode INT NOT NULL,"
              + " from_uid VARCHAR(64) NOT NULL, from_appcode INT NOT NULL, senddate BIGINT NOT NULL,"
              + " msgcontent VARCHAR(1000000) NOT NULL, kind VARCHAR(8) NOT NULL, msgtype INT NOT NULL,"
              + " logid VARCHAR(64) NOT NULL, PRIMARY KEY (owner_uid, peer_uid, msgid))",
          "CREATE TABLE send_dedup (from_uid VARCHAR(64) NOT NULL, from_appcode INT NOT NULL,"
              + " cmid VARCHAR(64) NOT NULL, msgid BIGINT NOT NULL, senddate BIGINT NOT NULL,"
              + " PRIMARY KEY (from_uid, from_appcode, cmid))");

  private static final long NOW = System.currentTimeMillis();

  @TempDir Path dir;
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() {
    vertx.close().await();
  }

  @Test
  void anH2DataDirectoryIsCopiedWithEveryRowAndItsState() throws Exception {
    Path old = dir.resolve("data");
    Message given = message(101, Kind.S2C, "", 0, "bob", 102, "order 1");
    Message neverGiven = message(102, Kind.S2C, "", 0, "bob", 102, "order 2");
    Message c2c = message(103, Kind.C2C, "alice", 101, "bob", 102, "héllo 日本 \uD83D\uDE00");
    Message acknowledged = message(90, Kind.C2C, "alice", 101, "bob", 102, "read long ago");
    try (Connection h2 = h2(old)) {
      for (String ddl : H2_SCHEMA) {
        execute(h2, ddl);
      }
      insertOffline(h2, given, 1);
      insertOffline(h2, neverGiven, 0);
      insertOffline(h2, c2c, 0);
      for (Message message : List.of(c2c, acknowledged)) {
        insertHistory(h2, "alice", "bob", message);
        insertHistory(h2, "bob", "alice", message);
      }
      try (PreparedStatement dedup =
          h2.prepareStatement("INSERT INTO send_dedup VALUES ('alice', 101, 'cmid-1', ?, ?)")) {
        dedup.setLong(1, c2c.msgid());
        dedup.setLong(2, c2c.senddate());
        dedup.executeUpdate();
      }
    }
    Path fresh = dir.resolve("fresh");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        MigrateStoreCommand.run(
            new String[] {"--from", old.toString(), "--to", fresh.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);

    assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));
    assertTrue(
        out.toString(StandardCharsets.UTF_8).contains("3 offline messages, 4 history rows and 1"),
        out.toString(StandardCharsets.UTF_8));
    MessageStore store = EmbeddedStore.open(vertx, fresh.toString()).await();
    try {
      assertEquals(c2c.msgid(), store.maxMsgid().await());
      MessageStore.Pulled belowCursor = store.pull("bob", 102, c2c.msgid(), 50).await();
      assertEquals(List.of(neverGiven, c2c), belowCursor.messages(), "never given, kept so");
      assertEquals(Set.of(neverGiven.msgid(), c2c.msgid()), belowCursor.firstGiven());
      assertEquals(
          List.of(c2c, acknowledged),
          store.history("alice", "bob", Long.MAX_VALUE, 50).await().messages());
      assertEquals(
          List.of(c2c, acknowledged),
          store.history("bob", "alice", Long.MAX_VALUE, 50).await().messages());
      assertEquals(
          new MessageStore.Accepted(c2c.msgid(), c2c.senddate(), true),
          store
              .acceptC2c(message(200, Kind.C2C, "alice", 101, "bob", 102, "again"), "cmid-1")
              .await(),
          "the cmid is remembered");
      assertEquals(3, store.removeOfflineUpTo("bob", 102, Long.MAX_VALUE).await());
    } finally {
      store.close().await();
    }
    assertTrue(Files.exists(old.resolve(EmbeddedStore.H2_FILE)), "the H2 file is left as it was");
  }

  @Test
  void aTargetWithAStoreOrASourceWithoutOneIsRefused() throws Exception {
    Path old = dir.resolve("data");
    try (Connection h2 = h2(old)) {
      for (String ddl : H2_SCHEMA) {
        execute(h2, ddl);
      }
    }
    Path taken = dir.resolve("taken");
    EmbeddedStore.open(vertx, taken.toString()).await().close().await();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);

    assertEquals(
        1,
        MigrateStoreCommand.run(
            new String[] {"--from", old.toString(), "--to", taken.toString()}, System.out, errors));
    assertEquals(
        1,
        MigrateStoreCommand.run(
            new String[] {"--from", dir.resolve("empty").toString(), "--to", dir.toString()},
            System.out,
            errors));
    assertEquals(
        2, MigrateStoreCommand.run(new String[] {"--from", old.toString()}, System.out, errors));

    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("already exists"), said);
    assertTrue(said.contains("holds no H2 message store"), said);
    assertFalse(Files.exists(dir.resolve(EmbeddedStore.DIRECTORY)));
  }

  private static Connection h2(Path dataDir) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:h2:file:" + dataDir.resolve("courier") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE",
        "sa",
        "");
  }

  private static Message message(
      long msgid, Kind kind, String from, int fromAppcode, String to, int toAppcode, String text) {
    return new Message(
        msgid, kind, from, fromAppcode, to, toAppcode, 7, text, NOW - msgid, "log-" + msgid);
  }

  private static void insertOffline(Connection h2, Message message, int state) throws SQLException {
    try (PreparedStatement insert =
        h2.prepareStatement(
            "INSERT INTO offline_message (msgid, to_uid, to_appcode, from_uid, from_appcode,"
                + " senddate, state, msgcontent, kind, msgtype, logid)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, message.msgid());
      insert.setString(2, message.toUid());
      insert.setInt(3, message.toAppcode());
      insert.setString(4, message.fromUid());
      insert.setInt(5, message.fromAppcode());
      insert.setLong(6, message.senddate());
      insert.setInt(7, state);
      insert.setString(8, message.content());
      insert.setString(9, message.kind().wire());
      insert.setInt(10, message.msgtype());
      insert.setString(11, message.logid());
      insert.executeUpdate();
    }
  }

  private static void insertHistory(Connection h2, String owner, String peer, Message message)
      throws SQLException {
    try (PreparedStatement insert =
        h2.prepareStatement(
            "INSERT INTO user_message (owner_uid, peer_uid, msgid, to_uid, to_appcode, from_uid,"
                + " from_appcode, senddate, msgcontent, kind, msgtype, logid)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, owner);
      insert.setString(2, peer);
      insert.setLong(3, message.msgid());
      insert.setString(4, message.toUid());
      insert.setInt(5, message.toAppcode());
      insert.setString(6, message.fromUid());
      insert.setInt(7, message.fromAppcode());
      insert.setLong(8, message.senddate());
      insert.setString(9, message.content());
      insert.setString(10, message.kind().wire());
      insert.setInt(11, message.msgtype());
      insert.setString(12, message.logid());
      insert.executeUpdate();
    }
  }

  /** A statement on its own, closed. */
  private static void execute(Connection h2, String sql) throws SQLException {
    try (Statement statement = h2.createStatement()) {
      statement.execute(sql);
    }
  }
}
