package io.courier.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Empty databases on the test MySQL/MariaDB server ({@link LocalServices}), and their URIs.
 *
 * <p>A test names its databases ({@code courier_test_shard0}); on the server each name carries this
 * JVM's run id ({@code courier_test_shard0_3f9a1c2e}), so that two runs of the suite against one
 * server do not drop each other's tables. The databases of a run are dropped when its JVM exits;
 * those of a run killed outright stay, recognisable by the suffix.
 */
public final class MySqlDatabases {
  /** Eight hex digits, the same for every database of this JVM. */
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  private MySqlDatabases() {}

  /** The database of this run that the test calls {@code name}. */
  private static String onServer(String name) {
    return name + "_" + RUN;
  }

  /**
   * {@code mysql://user[:password]@host:port/database} of the database the test calls {@code name}.
   */
  public static String uri(String name) {
    MySqlServer server = LocalServices.mysql();
    return serverUri(server, server.host(), server.port(), onServer(name));
  }

  /**
   * The same credentials and database on another address, e.g. a proxy in front of the server
   * ({@link CuttableProxy#inFrontOfMysql}).
   */
  public static String uri(String host, int port, String name) {
    return serverUri(LocalServices.mysql(), host, port, onServer(name));
  }

  /**
   * Drops and creates each database the test names, empty, with the collation Courier expects. Call
   * it once more for empty databases again.
   */
  public static void recreate(Vertx vertx, List<String> names) {
    MySqlServer server = LocalServices.mysql();
    Pool admin = admin(vertx, server);
    try {
      for (String name : names) {
        String database = onServer(name);
        if (!server.container()) {
          DropAtExit.DATABASES.add(database);
        }
        admin.query("DROP DATABASE IF EXISTS " + database).execute().await();
        admin
            .query("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
            .execute()
            .await();
      }
    } finally {
      admin.close().await();
    }
  }

  private static Pool admin(Vertx vertx, MySqlServer server) {
    return MySQLBuilder.pool()
        .connectingTo(serverUri(server, server.host(), server.port(), "mysql"))
        .using(vertx)
        .build();
  }

  private static String serverUri(MySqlServer server, String host, int port, String database) {
    String password = server.password().isEmpty() ? "" : ":" + server.password();
    return "mysql://" + server.user() + password + "@" + host + ":" + port + "/" + database;
  }

  /**
   * The databases of this run on a server that outlives it (a container goes away with the run),
   * dropped when the JVM exits; the hook is installed by the first one.
   */
  private static final class DropAtExit {
    static final Set<String> DATABASES = ConcurrentHashMap.newKeySet();

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(DropAtExit::drop, "drop-test-databases"));
    }

    /**
     * Its own Vert.x, without class-path file resolving: setting that up adds a shutdown hook,
     * which the JVM refuses once it is shutting down. A failure is reported, not thrown: the run's
     * result is decided already.
     */
    private static void drop() {
      Vertx vertx = null;
      try {
        vertx =
            Vertx.vertx(
                new VertxOptions()
                    .setFileSystemOptions(
                        new FileSystemOptions().setClassPathResolvingEnabled(false)));
        Pool admin = admin(vertx, LocalServices.mysql());
        for (String database : DATABASES) {
          admin.query("DROP DATABASE IF EXISTS " + database).execute().await();
        }
        admin.close().await();
      } catch (RuntimeException e) {
        System.err.println("could not drop the test databases " + DATABASES + ": " + e);
      } finally {
        if (vertx != null) {
          vertx.close().await();
        }
      }
    }
  }
}
