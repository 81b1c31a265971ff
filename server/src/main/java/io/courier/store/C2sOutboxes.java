package io.courier.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opens the {@link C2sOutbox} beside the message store: embedded in {@code <dataDir>/c2s-outbox},
 * or on the MySQL shards of the message store, with {@value #CONNECTIONS} connections of its own
 * per shard (the outbox carries qos-1 and cmid C2S only; its own pool keeps it off the message
 * store's group commit).
 */
public final class C2sOutboxes {
  static final int CONNECTIONS = 4;

  private C2sOutboxes() {}

  public static Future<C2sOutbox> embedded(Vertx vertx, String dataDir) {
    return opened(new RocksC2sOutbox(vertx, Path.of(dataDir).toAbsolutePath().normalize()));
  }

  public static Future<C2sOutbox> mysql(Vertx vertx, List<String> shardUris) {
    List<C2sOutbox> shards = new ArrayList<>();
    try {
      for (String uri : shardUris) {
        shards.add(
            new SqlC2sOutbox(
                MySQLBuilder.pool()
                    .with(
                        new PoolOptions()
                            .setMaxSize(CONNECTIONS)
                            .setMaxWaitQueueSize(MySqlStore.MAX_QUEUED_READS)
                            .setConnectionTimeout(MySqlStore.CONNECT_TIMEOUT_MS)
                            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
                    .with(
                        new NetClientOptions()
                            .setConnectTimeout(MySqlStore.CONNECT_TIMEOUT_MS)
                            .setTcpNoDelay(true))
                    .connectingTo(MySQLConnectOptions.fromUri(uri).setCachePreparedStatements(true))
                    .using(vertx)
                    .build()));
      }
    } catch (RuntimeException e) {
      shards.forEach(C2sOutbox::close);
      return Future.failedFuture(e);
    }
    return opened(new ShardedC2sOutbox(shards));
  }

  private static Future<C2sOutbox> opened(C2sOutbox outbox) {
    return outbox
        .open()
        .<C2sOutbox>map(outbox)
        .recover(e -> outbox.close().transform(closed -> Future.failedFuture(e)));
  }
}
