package io.courier.push;

import io.courier.protocol.body.PushProvider;
import io.courier.store.Shards;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry on the message store's MySQL shards ({@code store.mysqlShards}), in tables of its
 * own, sharded as the store is ({@link Shards}):
 *
 * <ul>
 *   <li>{@code push_device}, on the shard of {@code uid}: one row per {@code (uid, appcode,
 *       device)}, the key, with the provider, token and topic: what a notification reads.
 *   <li>{@code push_token}, on the shard of {@code "<provider>:<token>"}: which key holds a token,
 *       so that a token registered by another user moves, and a dead token is found.
 * </ul>
 *
 * <p>The two tables are written one after the other, in an order that keeps a crash in between
 * harmless: a registration claims the token first, then removes it from its former holder, then
 * writes the device; a removal deletes only rows that still name the same token and holder. The
 * worst a crash leaves is a token index naming a key that no longer holds the token (ignored) or a
 * former holder still holding the token until the next registration of either (the app registers at
 * every login). The tables have their own schema version ({@code push_schema_version}), migrated at
 * open under a server lock as the store's are.
 */
public final class MySqlDeviceRegistry implements DeviceRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(MySqlDeviceRegistry.class);

  static final int CONNECTIONS = 2;
  static final int CONNECT_TIMEOUT_MS = 2_000;
  static final int MAX_QUEUED = 1_000;
  private static final int SCHEMA_LOCK_SECONDS = 120;

  private static final String ASCII = " CHARACTER SET ascii COLLATE ascii_bin";

  /** Element {@code i} takes the tables from version {@code i} to {@code i + 1}; never edited. */
  static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              "CREATE TABLE IF NOT EXISTS push_device ("
                  + " uid VARCHAR(64)"
                  + ASCII
                  + " NOT NULL, appcode INT NOT NULL, device VARCHAR(128)"
                  + ASCII
                  + " NOT NULL, provider VARCHAR(16)"
                  + ASCII
                  + " NOT NULL, token VARCHAR(512)"
                  + ASCII
                  + " NOT NULL, topic VARCHAR(255)"
                  + ASCII
                  + " NULL, updated BIGINT NOT NULL,"
                  + " PRIMARY KEY (uid, appcode, device)) ENGINE=InnoDB",
              "CREATE TABLE IF NOT EXISTS push_token ("
                  + " provider VARCHAR(16)"
                  + ASCII
                  + " NOT NULL, token VARCHAR(512)"
                  + ASCII
                  + " NOT NULL, uid VARCHAR(64)"
                  + ASCII
                  + " NOT NULL, appcode INT NOT NULL, device VARCHAR(128)"
                  + ASCII
                  + " NOT NULL, updated BIGINT NOT NULL,"
                  + " PRIMARY KEY (provider, token)) ENGINE=InnoDB"));

  private static final String VERSION_TABLE =
      "CREATE TABLE IF NOT EXISTS push_schema_version"
          + " (id INT NOT NULL PRIMARY KEY, version INT NOT NULL) ENGINE=InnoDB";
  private static final String INIT_VERSION =
      "INSERT INTO push_schema_version (id, version) VALUES (1, 0) ON DUPLICATE KEY UPDATE id = id";
  private static final String SELECT_VERSION =
      "SELECT version FROM push_schema_version WHERE id = 1";
  private static final String UPDATE_VERSION =
      "UPDATE push_schema_version SET version = ? WHERE id = 1";
  private static final String LOCK =
      "SELECT GET_LOCK(CONCAT('courier.push.schema.', DATABASE()), " + SCHEMA_LOCK_SECONDS + ")";
  private static final String UNLOCK =
      "SELECT RELEASE_LOCK(CONCAT('courier.push.schema.', DATABASE()))";

  private static final String TOKEN_HOLDER =
      "SELECT uid, appcode, device FROM push_token WHERE provider = ? AND token = ?";
  private static final String CLAIM_TOKEN =
      "INSERT INTO push_token (provider, token, uid, appcode, device, updated)"
          + " VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE uid = VALUES(uid),"
          + " appcode = VALUES(appcode), device = VALUES(device), updated = VALUES(updated)";
  private static final String RELEASE_TOKEN =
      "DELETE FROM push_token WHERE provider = ? AND token = ?"
          + " AND uid = ? AND appcode = ? AND device = ?";
  private static final String DEVICE =
      "SELECT provider, token FROM push_device WHERE uid = ? AND appcode = ? AND device = ?";
  private static final String DEVICES =
      "SELECT device, provider, token, topic, updated FROM push_device"
          + " WHERE uid = ? AND appcode = ?";
  private static final String WRITE_DEVICE =
      "INSERT INTO push_device (uid, appcode, device, provider, token, topic, updated)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE provider = VALUES(provider),"
          + " token = VALUES(token), topic = VALUES(topic), updated = VALUES(updated)";
  private static final String DELETE_DEVICE_WITH_TOKEN =
      "DELETE FROM push_device WHERE uid = ? AND appcode = ? AND device = ?"
          + " AND provider = ? AND token = ?";

  private final List<Pool> shards;

  private MySqlDeviceRegistry(List<Pool> shards) {
    this.shards = shards;
  }

  /** Opens the registry on {@code shardUris} (the store's), creating or migrating its tables. */
  public static Future<DeviceRegistry> open(Vertx vertx, List<String> shardUris) {
    List<Pool> pools = new ArrayList<>();
    try {
      for (String uri : shardUris) {
        pools.add(
            MySQLBuilder.pool()
                .with(
                    new PoolOptions()
                        .setMaxSize(CONNECTIONS)
                        .setMaxWaitQueueSize(MAX_QUEUED)
                        .setConnectionTimeout(CONNECT_TIMEOUT_MS)
                        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
                .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS))
                .connectingTo(MySQLConnectOptions.fromUri(uri).setCachePreparedStatements(true))
                .using(vertx)
                .build());
      }
    } catch (RuntimeException e) {
      pools.forEach(Pool::close);
      return Future.failedFuture(e);
    }
    MySqlDeviceRegistry registry = new MySqlDeviceRegistry(List.copyOf(pools));
    List<Future<Void>> migrated = new ArrayList<>();
    for (Pool pool : pools) {
      migrated.add(pool.withConnection(MySqlDeviceRegistry::migrate));
    }
    return Future.all(migrated)
        .<DeviceRegistry>map(registry)
        .recover(e -> registry.close().transform(closed -> Future.failedFuture(e)));
  }

  private static Future<Void> migrate(SqlConnection conn) {
    return conn.query(LOCK)
        .execute()
        .compose(
            locked -> {
              Object held = locked.iterator().next().getValue(0);
              if (held == null || ((Number) held).intValue() != 1) {
                return Future.failedFuture(
                    new IllegalStateException(
                        "another node held the push schema lock for over "
                            + SCHEMA_LOCK_SECONDS
                            + " s"));
              }
              return conn.query(VERSION_TABLE)
                  .execute()
                  .compose(v -> conn.query(INIT_VERSION).execute())
                  .compose(v -> conn.query(SELECT_VERSION).execute())
                  .compose(rows -> migrateFrom(conn, rows.iterator().next().getInteger("version")))
                  .eventually(() -> conn.query(UNLOCK).execute().otherwiseEmpty());
            });
  }

  private static Future<Void> migrateFrom(SqlConnection conn, int from) {
    if (from > MIGRATIONS.size()) {
      return Future.failedFuture(
          new IllegalStateException(
              "the push tables have schema version "
                  + from
                  + ", newer than this Courier's "
                  + MIGRATIONS.size()));
    }
    Future<Void> chain = Future.succeededFuture();
    for (int version = from; version < MIGRATIONS.size(); version++) {
      int next = version + 1;
      for (String ddl : MIGRATIONS.get(version)) {
        chain = chain.compose(v -> conn.query(ddl).execute().<Void>mapEmpty());
      }
      chain =
          chain
              .compose(
                  v -> conn.preparedQuery(UPDATE_VERSION).execute(Tuple.of(next)).<Void>mapEmpty())
              .onSuccess(v -> LOG.info("push device tables migrated to version {}", next));
    }
    return chain;
  }

  @Override
  public Future<Void> register(Device device) {
    Pool tokenShard = tokenShard(device.provider(), device.token());
    return tokenShard
        .preparedQuery(TOKEN_HOLDER)
        .execute(Tuple.of(device.provider().wire(), device.token()))
        .compose(
            holders ->
                tokenShard
                    .preparedQuery(CLAIM_TOKEN)
                    .execute(
                        Tuple.of(
                            device.provider().wire(),
                            device.token(),
                            device.uid(),
                            device.appcode(),
                            device.device(),
                            device.updated()))
                    .compose(claimed -> releaseFromFormerHolder(device, holders)))
        .compose(v -> releaseOwnFormerToken(device))
        .compose(
            v ->
                uidShard(device.uid())
                    .preparedQuery(WRITE_DEVICE)
                    .execute(
                        Tuple.of(
                            device.uid(),
                            device.appcode(),
                            device.device(),
                            device.provider().wire(),
                            device.token(),
                            device.topic(),
                            device.updated())))
        .mapEmpty();
  }

  /** The token's former holder, when another key, loses its registration of that token. */
  private Future<Void> releaseFromFormerHolder(Device device, Iterable<Row> holders) {
    for (Row holder : holders) {
      String uid = holder.getString("uid");
      int appcode = holder.getInteger("appcode");
      String other = holder.getString("device");
      if (!(uid.equals(device.uid())
          && appcode == device.appcode()
          && other.equals(device.device()))) {
        return uidShard(uid)
            .preparedQuery(DELETE_DEVICE_WITH_TOKEN)
            .execute(Tuple.of(uid, appcode, other, device.provider().wire(), device.token()))
            .mapEmpty();
      }
    }
    return Future.succeededFuture();
  }

  /** The key's former token, when another one, stops naming this key. */
  private Future<Void> releaseOwnFormerToken(Device device) {
    return uidShard(device.uid())
        .preparedQuery(DEVICE)
        .execute(Tuple.of(device.uid(), device.appcode(), device.device()))
        .compose(
            rows -> {
              for (Row row : rows) {
                PushProvider provider = PushProvider.fromWire(row.getString("provider"));
                String token = row.getString("token");
                if (provider != null
                    && !(provider == device.provider() && token.equals(device.token()))) {
                  return tokenShard(provider, token)
                      .preparedQuery(RELEASE_TOKEN)
                      .execute(
                          Tuple.of(
                              provider.wire(),
                              token,
                              device.uid(),
                              device.appcode(),
                              device.device()))
                      .mapEmpty();
                }
              }
              return Future.succeededFuture();
            });
  }

  @Override
  public Future<Boolean> unregister(String uid, int appcode, String device) {
    Pool shard = uidShard(uid);
    return shard
        .preparedQuery(DEVICE)
        .execute(Tuple.of(uid, appcode, device))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(false);
              }
              Row row = rows.iterator().next();
              String provider = row.getString("provider");
              String token = row.getString("token");
              return shard
                  .preparedQuery(DELETE_DEVICE_WITH_TOKEN)
                  .execute(Tuple.of(uid, appcode, device, provider, token))
                  .compose(
                      deleted ->
                          shards
                              .get(Shards.of(provider + ":" + token, shards.size()))
                              .preparedQuery(RELEASE_TOKEN)
                              .execute(Tuple.of(provider, token, uid, appcode, device))
                              .map(released -> deleted.rowCount() > 0));
            });
  }

  @Override
  public Future<List<Device>> devices(String uid, int appcode) {
    return uidShard(uid)
        .preparedQuery(DEVICES)
        .execute(Tuple.of(uid, appcode))
        .map(
            rows -> {
              List<Device> devices = new ArrayList<>(rows.size());
              for (Row row : rows) {
                PushProvider provider = PushProvider.fromWire(row.getString("provider"));
                if (provider != null) {
                  devices.add(
                      new Device(
                          uid,
                          appcode,
                          row.getString("device"),
                          provider,
                          row.getString("token"),
                          row.getString("topic"),
                          row.getLong("updated")));
                }
              }
              return devices;
            });
  }

  @Override
  public Future<Boolean> removeDead(PushProvider provider, String token) {
    Pool tokenShard = tokenShard(provider, token);
    return tokenShard
        .preparedQuery(TOKEN_HOLDER)
        .execute(Tuple.of(provider.wire(), token))
        .compose(
            holders -> {
              if (holders.size() == 0) {
                return Future.succeededFuture(false);
              }
              Row holder = holders.iterator().next();
              String uid = holder.getString("uid");
              int appcode = holder.getInteger("appcode");
              String device = holder.getString("device");
              return uidShard(uid)
                  .preparedQuery(DELETE_DEVICE_WITH_TOKEN)
                  .execute(Tuple.of(uid, appcode, device, provider.wire(), token))
                  .compose(
                      deleted ->
                          tokenShard
                              .preparedQuery(RELEASE_TOKEN)
                              .execute(Tuple.of(provider.wire(), token, uid, appcode, device))
                              .map(released -> deleted.rowCount() > 0));
            });
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> closed = new ArrayList<>();
    shards.forEach(pool -> closed.add(pool.close()));
    return Future.join(closed).mapEmpty();
  }

  private Pool uidShard(String uid) {
    return shards.get(Shards.of(uid, shards.size()));
  }

  private Pool tokenShard(PushProvider provider, String token) {
    return shards.get(Shards.of(provider.wire() + ":" + token, shards.size()));
  }
}
