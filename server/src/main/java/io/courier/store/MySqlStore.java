package io.courier.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The production message store: MySQL (or MariaDB) databases, one per shard, given as {@code
 * mysql://user:password@host:port/database} URIs, through Vert.x's reactive MySQL client. Each
 * shard is a {@link SqlMessageStore} with the MySQL dialect; {@link ShardedMessageStore} spreads
 * the rows over them. The databases must exist; the tables are created or migrated at start.
 *
 * <p>Unavailability is bounded: a connection attempt gives up after {@value #CONNECT_TIMEOUT_MS} ms
 * and at most {@value #MAX_QUEUED_READS} reads wait for a connection, so with MySQL down requests
 * fail (503) at once instead of piling up, and the pools reconnect by themselves when it is back.
 * An open gives up after {@value #OPEN_ATTEMPT_SECONDS} s and closes its pools: Vert.x 5.0.7's SQL
 * pool can lose the completion of a connection whose wait timed out (vertx-sql-client#1567,
 * "Promise already completed"), which would leave an open waiting for ever; {@link StartupRetry}
 * then tries again with new pools.
 */
public final class MySqlStore {
  static final int CONNECT_TIMEOUT_MS = 2_000;
  static final int READ_CONNECTIONS = 4;
  static final int MAX_QUEUED_READS = 10_000;
  static final long OPEN_ATTEMPT_SECONDS = 15;

  /**
   * Prepared statements kept per connection: the store has about 60 texts for two-person messages
   * and about 110 more for groups (each multi-row statement has 8, {@link MultiRowStatement}), of
   * which a batch uses the few sizes its traffic has, so the least recently used fall out rarely.
   * Without the cache every statement is a prepare, an execute and a close: three round trips
   * instead of one. Not more: each node holds this many per connection against the server's {@code
   * max_prepared_stmt_count} (docs/storage.md, 3.4).
   */
  static final int PREPARED_STATEMENT_CACHE_SIZE = 128;

  /**
   * Longest SQL text the cache keeps: the 128-row history insert is about 5,000 characters, above
   * the client's default limit of 2,048.
   */
  static final int PREPARED_STATEMENT_MAX_CHARS = 16_384;

  private MySqlStore() {}

  public static Future<MessageStore> open(
      Vertx vertx, List<String> shardUris, SqlStoreOptions options) {
    List<SqlMessageStore> shards = new ArrayList<>();
    try {
      for (String uri : shardUris) {
        MySQLConnectOptions connect = MySQLConnectOptions.fromUri(uri);
        connect
            .setCachePreparedStatements(true)
            .setPreparedStatementCacheMaxSize(PREPARED_STATEMENT_CACHE_SIZE)
            .setPreparedStatementCacheSqlLimit(PREPARED_STATEMENT_MAX_CHARS);
        Pool writes = pool(vertx, connect, poolOptions(1));
        Pool reads = pool(vertx, connect, poolOptions(READ_CONNECTIONS));
        shards.add(new SqlMessageStore(vertx, writes, reads, SqlDialect.MYSQL, options));
      }
    } catch (RuntimeException e) {
      shards.forEach(SqlMessageStore::close);
      return Future.failedFuture(e);
    }
    ShardedMessageStore store = new ShardedMessageStore(shards);
    return store
        .open()
        .timeout(OPEN_ATTEMPT_SECONDS, TimeUnit.SECONDS)
        .<MessageStore>map(store)
        .recover(e -> store.close().transform(closed -> Future.failedFuture(e)));
  }

  private static PoolOptions poolOptions(int size) {
    return new PoolOptions()
        .setMaxSize(size)
        .setMaxWaitQueueSize(MAX_QUEUED_READS)
        .setConnectionTimeout(CONNECT_TIMEOUT_MS)
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  private static Pool pool(Vertx vertx, MySQLConnectOptions connect, PoolOptions options) {
    return MySQLBuilder.pool()
        .with(options)
        .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS).setTcpNoDelay(true))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }
}
