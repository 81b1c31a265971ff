package io.courier.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The schema of {@link SqlMessageStore} on MySQL 8 and MariaDB. (Until the embedded store moved to
 * RocksDB, H2 ran the same statements, with a dialect of its own.)
 *
 * <p>The tables:
 *
 * <ul>
 *   <li>{@code offline_message}: messages waiting for their receiver {@code (to_uid, to_appcode)},
 *       with the original platform's fields. The primary key {@code (to_uid, to_appcode, msgid)} is
 *       the PULL keyset index. {@code state} is the original platform's delivery state: {@value
 *       #NEVER_GIVEN} until a PULL gives the row to the receiver, {@value #GIVEN} after. An
 *       acknowledged row is deleted rather than marked, so the table holds only what is still to be
 *       delivered, and the history keeps the record. The index {@value #GIVEN_INDEX} {@code
 *       (to_uid, to_appcode, state, msgid)} (version 2) finds a receiver's rows never given below a
 *       PULL's cursor, and the given ones an OFFLINE_ACK {@code upto} removes, as ranges. The index
 *       {@value #OFFLINE_SENDDATE_INDEX} (version 3) serves the retention purge.
 *   <li>{@code user_message}: C2C history, one row per owner: the sender's copy ({@code owner_uid =
 *       from_uid}, {@code peer_uid = to_uid}) and the receiver's; one row when both are the same
 *       user. The primary key {@code (owner_uid, peer_uid, msgid)} is the HISTORY keyset index; a
 *       separate {@code (owner_uid, msgid)} key was dropped: every lookup names the peer, and the
 *       second index cost about a quarter of the embedded store's C2C throughput. The index {@value
 *       #HISTORY_SENDDATE_INDEX} (version 3) serves the retention purge; its key grows with time,
 *       so an insert appends to its last page.
 *   <li>{@code send_dedup}: the first {@code msgid} and {@code senddate} accepted for each {@code
 *       (from_uid, from_appcode, cmid)}, kept for the store's dedup retention; the index on {@code
 *       senddate} serves the purge.
 *   <li>{@code user_terminal} (version 5): the appcodes each user has logged in with, its
 *       terminals, which get copies of its conversations (docs/conversations.md). An offline row of
 *       such a copy is keyed by the terminal's inbox; its {@code addressed_uid} and {@code
 *       addressed_appcode} (version 5, NULL on the addressed terminal's own row) keep the message's
 *       {@code to_uid} and {@code to_appcode}.
 *   <li>{@code conversation} (version 6): one row per owner and peer: the owner's read position,
 *       and the delivered position of the peer's messages to the owner (docs/conversations.md).
 *   <li>Groups (version 7, docs/groups.md): {@code chat_group}, one row per group (title, closed,
 *       last msgid); {@code group_member}, one row per member (appcode, join point, read position,
 *       and the order members were added in); {@code group_message}, the group's timeline, one row
 *       per message keyed by {@code (group_id, msgid)}, whose {@code fanned_out} says that every
 *       member shard has the message's offline rows; all three on the shard of {@code group_id}.
 *       {@code user_group}, one row per member and group on the member's shard, lists a user's
 *       groups for CONVERSATIONS. An offline row of a group message names its group in {@code
 *       offline_message.group_id} (NULL on every other row).
 *   <li>{@code schema_version}: one row, the number of migrations applied.
 * </ul>
 *
 * <p>{@code msgcontent} holds up to {@link SqlMessageStore#MAX_CONTENT_CHARS} characters: 16 KiB of
 * raw content grows to about 96 KiB once every {@code "} is escaped to {@code &quot;}; MySQL's
 * {@code MEDIUMTEXT} holds 16 MiB of utf8mb4.
 *
 * <p>Every identifier — uids, cmids, logids — compares byte for byte, as Java's {@code equals}
 * does, so that two keys are one row exactly when the store's code thinks so. MySQL needs a binary
 * collation (the default {@code utf8mb4_0900_ai_ci} would make {@code "Bob"} and {@code "bob"} one
 * key) without padding: the {@code utf8mb4_bin} of version 1 is PAD SPACE, which ignores trailing
 * spaces, so cmid {@code "x "} was the key of cmid {@code "x"} and its message failed. Version 2
 * converts the tables to the NO PAD binary collation of the server.
 */
public enum SqlDialect {
  MYSQL(
      "MEDIUMTEXT",
      " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
      noPadCollation("offline_message", "user_message", "send_dedup"));

  /** {@code offline_message.state} of a row no PULL has given to the receiver yet. */
  static final int NEVER_GIVEN = 0;

  /** {@code offline_message.state} of a row a PULL has given to the receiver. */
  static final int GIVEN = 1;

  static final String GIVEN_INDEX = "offline_message_given";
  static final String OFFLINE_SENDDATE_INDEX = "offline_message_senddate";
  static final String HISTORY_SENDDATE_INDEX = "user_message_senddate";
  private static final String GIVEN_INDEX_ON =
      " ON offline_message (to_uid, to_appcode, state, msgid)";

  private static final String SCHEMA_VERSION =
      """
    CREATE TABLE IF NOT EXISTS schema_version (
      id INT NOT NULL PRIMARY KEY,
      version INT NOT NULL
    )""";

  private static final String OFFLINE_MESSAGE =
      """
    CREATE TABLE IF NOT EXISTS offline_message (
      msgid BIGINT NOT NULL,
      to_uid VARCHAR(64) NOT NULL,
      to_appcode INT NOT NULL,
      from_uid VARCHAR(64) NOT NULL,
      from_appcode INT NOT NULL,
      senddate BIGINT NOT NULL,
      state TINYINT NOT NULL DEFAULT 0,
      msgcontent %1$s NOT NULL,
      kind VARCHAR(8) NOT NULL,
      msgtype INT NOT NULL,
      logid VARCHAR(64) NOT NULL,
      PRIMARY KEY (to_uid, to_appcode, msgid)
    )%2$s""";

  private static final String USER_MESSAGE =
      """
    CREATE TABLE IF NOT EXISTS user_message (
      owner_uid VARCHAR(64) NOT NULL,
      peer_uid VARCHAR(64) NOT NULL,
      msgid BIGINT NOT NULL,
      to_uid VARCHAR(64) NOT NULL,
      to_appcode INT NOT NULL,
      from_uid VARCHAR(64) NOT NULL,
      from_appcode INT NOT NULL,
      senddate BIGINT NOT NULL,
      msgcontent %1$s NOT NULL,
      kind VARCHAR(8) NOT NULL,
      msgtype INT NOT NULL,
      logid VARCHAR(64) NOT NULL,
      PRIMARY KEY (owner_uid, peer_uid, msgid)
    )%2$s""";

  private static final String SEND_DEDUP =
      """
    CREATE TABLE IF NOT EXISTS send_dedup (
      from_uid VARCHAR(64) NOT NULL,
      from_appcode INT NOT NULL,
      cmid VARCHAR(64) NOT NULL,
      msgid BIGINT NOT NULL,
      senddate BIGINT NOT NULL,
      PRIMARY KEY (from_uid, from_appcode, cmid),
      KEY send_dedup_senddate (senddate)
    )%2$s""";

  private static final String USER_TERMINAL =
      """
    CREATE TABLE IF NOT EXISTS user_terminal (
      uid VARCHAR(64) NOT NULL,
      appcode INT NOT NULL,
      since BIGINT NOT NULL,
      PRIMARY KEY (uid, appcode)
    )%2$s""";

  static final String RECENT_INDEX = "conversation_recent";

  private static final String CONVERSATION =
      """
    CREATE TABLE IF NOT EXISTS conversation (
      owner_uid VARCHAR(64) NOT NULL,
      peer_uid VARCHAR(64) NOT NULL,
      last_msgid BIGINT NOT NULL DEFAULT 0,
      read_upto BIGINT NOT NULL DEFAULT 0,
      delivered_upto BIGINT NOT NULL DEFAULT 0,
      PRIMARY KEY (owner_uid, peer_uid),
      KEY conversation_recent (owner_uid, last_msgid)
    )%2$s""";

  static final String TIMELINE_SENDDATE_INDEX = "group_message_senddate";

  private static final String CHAT_GROUP =
      """
    CREATE TABLE IF NOT EXISTS chat_group (
      group_id VARCHAR(64) NOT NULL,
      title TEXT NULL,
      closed TINYINT NOT NULL DEFAULT 0,
      last_msgid BIGINT NOT NULL DEFAULT 0,
      PRIMARY KEY (group_id)
    )%2$s""";

  private static final String GROUP_MEMBER =
      """
    CREATE TABLE IF NOT EXISTS group_member (
      group_id VARCHAR(64) NOT NULL,
      uid VARCHAR(64) NOT NULL,
      appcode INT NOT NULL,
      joined BIGINT NOT NULL,
      read_upto BIGINT NOT NULL DEFAULT 0,
      position INT NOT NULL,
      PRIMARY KEY (group_id, uid)
    )%2$s""";

  private static final String GROUP_MESSAGE =
      """
    CREATE TABLE IF NOT EXISTS group_message (
      group_id VARCHAR(64) NOT NULL,
      msgid BIGINT NOT NULL,
      from_uid VARCHAR(64) NOT NULL,
      from_appcode INT NOT NULL,
      senddate BIGINT NOT NULL,
      msgcontent %1$s NOT NULL,
      kind VARCHAR(8) NOT NULL,
      msgtype INT NOT NULL,
      logid VARCHAR(64) NOT NULL,
      fanned_out TINYINT NOT NULL DEFAULT 0,
      PRIMARY KEY (group_id, msgid),
      KEY group_message_senddate (senddate)
    )%2$s""";

  private static final String USER_GROUP =
      """
    CREATE TABLE IF NOT EXISTS user_group (
      uid VARCHAR(64) NOT NULL,
      group_id VARCHAR(64) NOT NULL,
      PRIMARY KEY (uid, group_id)
    )%2$s""";

  private final String schemaVersionTable;
  private final List<List<String>> migrations;

  /**
   * @param exactIdentifiers migration 3, which makes identifiers compare byte for byte
   */
  SqlDialect(String contentType, String tableOptions, List<String> exactIdentifiers) {
    this.schemaVersionTable = SCHEMA_VERSION + tableOptions;
    this.migrations =
        List.of(
            List.of(
                OFFLINE_MESSAGE.formatted(contentType, tableOptions),
                USER_MESSAGE.formatted(contentType, tableOptions),
                SEND_DEDUP.formatted(contentType, tableOptions)),
            createIndex("offline_message", GIVEN_INDEX, GIVEN_INDEX_ON),
            exactIdentifiers,
            concat(
                createIndex(
                    "offline_message", OFFLINE_SENDDATE_INDEX, " ON offline_message (senddate)"),
                createIndex("user_message", HISTORY_SENDDATE_INDEX, " ON user_message (senddate)")),
            concat(
                concat(
                    List.of(USER_TERMINAL.formatted(contentType, tableOptions)),
                    noPadCollation("user_terminal")),
                concat(
                    addColumn("offline_message", "addressed_uid", "VARCHAR(64) NULL"),
                    addColumn("offline_message", "addressed_appcode", "INT NULL"))),
            concat(
                List.of(CONVERSATION.formatted(contentType, tableOptions)),
                noPadCollation("conversation")),
            concat(
                concat(
                    List.of(
                        CHAT_GROUP.formatted(contentType, tableOptions),
                        GROUP_MEMBER.formatted(contentType, tableOptions),
                        GROUP_MESSAGE.formatted(contentType, tableOptions),
                        USER_GROUP.formatted(contentType, tableOptions)),
                    noPadCollation("chat_group", "group_member", "group_message", "user_group")),
                addColumn("offline_message", "group_id", "VARCHAR(64) NULL")));
  }

  /**
   * Adds column {@code name} to {@code table} unless it exists (versions 5 and 7), as {@link
   * #createIndex} does for an index: MySQL 8 has no {@code ADD COLUMN IF NOT EXISTS}. A nullable
   * column is added in place by MySQL 8 and MariaDB 10.3+, without rebuilding the table.
   */
  private static List<String> addColumn(String table, String name, String definition) {
    return List.of(
        "SET @courier_ddl = IF((SELECT COUNT(*) FROM information_schema.columns"
            + " WHERE table_schema = DATABASE() AND table_name = '"
            + table
            + "' AND column_name = '"
            + name
            + "') = 0, 'ALTER TABLE "
            + table
            + " ADD COLUMN "
            + name
            + " "
            + definition
            + "', 'DO 0')",
        "PREPARE courier_ddl FROM @courier_ddl",
        "EXECUTE courier_ddl",
        "DEALLOCATE PREPARE courier_ddl");
  }

  /**
   * Creates index {@code name} of {@code table} unless it exists: version 2 the index {@value
   * #GIVEN_INDEX}, version 3 the {@code senddate} indexes of the retention purge. MySQL 8 has no
   * {@code CREATE INDEX IF NOT EXISTS} (MariaDB has), so the server picks the statement from its
   * data dictionary, through a session variable and a prepared statement on the migration's
   * connection.
   */
  private static List<String> createIndex(String table, String name, String on) {
    return List.of(
        "SET @courier_ddl = IF((SELECT COUNT(*) FROM information_schema.statistics"
            + " WHERE table_schema = DATABASE() AND table_name = '"
            + table
            + "' AND index_name = '"
            + name
            + "') = 0, 'CREATE INDEX "
            + name
            + on
            + "', 'DO 0')",
        "PREPARE courier_ddl FROM @courier_ddl",
        "EXECUTE courier_ddl",
        "DEALLOCATE PREPARE courier_ddl");
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> both = new ArrayList<>(first);
    both.addAll(second);
    return List.copyOf(both);
  }

  /**
   * Converts {@code tables} to the NO PAD binary collation of utf8mb4, whose name differs: {@code
   * utf8mb4_0900_bin} on MySQL (8.0.17 and later), {@code utf8mb4_nopad_bin} on MariaDB (10.2 and
   * later). The statements let the server pick its own by {@code VERSION()}, so each shard converts
   * itself whatever it runs; the {@code ALTER} goes through a prepared statement because a
   * collation name cannot be a parameter. {@code CONVERT TO} also changes the tables' default, and
   * rebuilds each table once: a large table takes a while, at the first start of this version only.
   */
  private static List<String> noPadCollation(String... tables) {
    List<String> statements = new ArrayList<>();
    statements.add(
        "SET @courier_collation ="
            + " IF(VERSION() LIKE '%MariaDB%', 'utf8mb4_nopad_bin', 'utf8mb4_0900_bin')");
    for (String table : tables) {
      statements.add(
          "SET @courier_ddl = CONCAT('ALTER TABLE "
              + table
              + " CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @courier_collation)");
      statements.add("PREPARE courier_ddl FROM @courier_ddl");
      statements.add("EXECUTE courier_ddl");
    }
    statements.add("DEALLOCATE PREPARE courier_ddl");
    return List.copyOf(statements);
  }

  /** Creates the version table if it is missing; runs before anything else is read. */
  public String schemaVersionTable() {
    return schemaVersionTable;
  }

  /**
   * The migrations: element {@code i} takes the schema from version {@code i} to {@code i + 1}.
   * Each statement is idempotent ({@code IF NOT EXISTS}, a conversion to the collation a table may
   * already have) because MySQL commits DDL implicitly, so a node killed between a migration and
   * the version update runs it again on its next start. A new version appends an element; published
   * elements never change.
   */
  public List<List<String>> migrations() {
    return migrations;
  }
}
