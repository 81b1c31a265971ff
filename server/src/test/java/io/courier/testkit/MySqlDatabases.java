package io.courier.testkit;

import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.sqlclient.Pool;
import java.util.List;

/** Empty databases on the test MySQL/MariaDB server ({@link LocalServices}), and their URIs. */
public final class MySqlDatabases {

  private MySqlDatabases() {}

  /** {@code mysql://user[:password]@host:port/database} of the test server. */
  public static String uri(String database) {
    return uri(LocalServices.MYSQL_HOST, LocalServices.MYSQL_PORT, database);
  }

  /** The same credentials on another address, e.g. a proxy in front of the server. */
  public static String uri(String host, int port, String database) {
    String password =
        LocalServices.MYSQL_PASSWORD.isEmpty() ? "" : ":" + LocalServices.MYSQL_PASSWORD;
    return "mysql://"
        + LocalServices.MYSQL_USER
        + password
        + "@"
        + host
        + ":"
        + port
        + "/"
        + database;
  }

  /** Drops and creates each database, empty, with the collation Courier expects. */
  public static void recreate(Vertx vertx, List<String> databases) {
    Pool admin = MySQLBuilder.pool().connectingTo(uri("mysql")).using(vertx).build();
    try {
      for (String database : databases) {
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
}
