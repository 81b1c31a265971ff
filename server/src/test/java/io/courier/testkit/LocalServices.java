package io.courier.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Redis and MySQL/MariaDB that backend tests talk to (127.0.0.1 by default, or {@code
 * -Dcourier.redis.url} / {@code -Dcourier.mysql.url}). When one is not running the tests that need
 * it are skipped — unless {@code -Dcourier.requireBackends=true} (set by CI), which makes them fail
 * instead.
 */
public final class LocalServices {
  public static final String REDIS_URL =
      System.getProperty("courier.redis.url", "redis://127.0.0.1:6379");

  /** A database the tests may create tables in; the shards are made next to it by the tests. */
  public static final String MYSQL_HOST = System.getProperty("courier.mysql.host", "127.0.0.1");

  public static final int MYSQL_PORT = Integer.getInteger("courier.mysql.port", 3306);
  public static final String MYSQL_USER = System.getProperty("courier.mysql.user", "root");
  public static final String MYSQL_PASSWORD = System.getProperty("courier.mysql.password", "");

  private LocalServices() {}

  public static void requireRedis() {
    java.net.URI uri = java.net.URI.create(REDIS_URL);
    require("Redis", uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort());
  }

  public static void requireMysql() {
    require("MySQL", MYSQL_HOST, MYSQL_PORT);
  }

  private static void require(String name, String host, int port) {
    boolean up = reachable(host, port);
    if (!up && Boolean.getBoolean("courier.requireBackends")) {
      throw new AssertionError(
          name + " is not running on " + host + ":" + port + " and courier.requireBackends is set");
    }
    Assumptions.assumeTrue(up, name + " is not running on " + host + ":" + port);
  }

  private static boolean reachable(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
