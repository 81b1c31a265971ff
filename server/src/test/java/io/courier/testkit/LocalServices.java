package io.courier.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis and MySQL/MariaDB that backend tests talk to. Each is taken from the first of:
 *
 * <ol>
 *   <li>the server named on the command line: {@code -Dcourier.redis.url=redis://host:port}, or
 *       {@code -Dcourier.mysql.host} / {@code -Dcourier.mysql.port} (with {@code
 *       -Dcourier.mysql.user} / {@code -Dcourier.mysql.password}, default root with an empty
 *       password); nothing else is tried then;
 *   <li>the one running on this machine: 127.0.0.1:6379, 127.0.0.1:3306;
 *   <li>a container ({@link Containers}), when a Docker engine is available: started on first use,
 *       once per JVM, shared by all its tests;
 *   <li>none: the tests that need it are skipped, unless {@code -Dcourier.requireBackends=true}
 *       (set by CI) makes them fail instead.
 * </ol>
 */
public final class LocalServices {
  private static final String REQUIRE = "courier.requireBackends";
  private static final String LOCAL = "127.0.0.1";
  private static final int REDIS_PORT = 6379;
  private static final int MYSQL_PORT = 3306;

  /**
   * Found when this class loads, because tests read the URL as a constant: a Redis container, when
   * one is needed, starts in about a second.
   */
  private static final Lookup<String> REDIS = findRedis();

  /**
   * {@code redis://host:port} of the test Redis. A test calls {@link #requireRedis()} before it
   * connects.
   */
  public static final String REDIS_URL =
      REDIS.found()
          ? REDIS.server()
          : System.getProperty("courier.redis.url", redisUrl(LOCAL, REDIS_PORT));

  private LocalServices() {}

  /** Skips (or fails) the test unless Redis is at {@link #REDIS_URL}. */
  public static void requireRedis() {
    require(REDIS);
  }

  /** Skips (or fails) the test unless a MySQL/MariaDB server is available. */
  public static void requireMysql() {
    mysql();
  }

  /** The test MySQL/MariaDB server; skips (or fails) the test when there is none. */
  static MySqlServer mysql() {
    return require(MySqlLookup.MYSQL);
  }

  /** The host of {@link #REDIS_URL}. */
  static String redisHost() {
    return URI.create(REDIS_URL).getHost();
  }

  /** The port of {@link #REDIS_URL}. */
  static int redisPort() {
    int port = URI.create(REDIS_URL).getPort();
    return port == -1 ? REDIS_PORT : port;
  }

  static String redisUrl(String host, int port) {
    return "redis://" + host + ":" + port;
  }

  private static <T> T require(Lookup<T> lookup) {
    if (!lookup.found() && Boolean.getBoolean(REQUIRE)) {
      throw new AssertionError(lookup.missing() + ", and " + REQUIRE + " is set");
    }
    Assumptions.assumeTrue(lookup.found(), lookup.missing());
    return lookup.server();
  }

  private static Lookup<String> findRedis() {
    String named = System.getProperty("courier.redis.url");
    if (named != null) {
      URI uri = URI.create(named);
      return reachable(uri.getHost(), uri.getPort() == -1 ? REDIS_PORT : uri.getPort())
          ? Lookup.of(named)
          : Lookup.none("Redis is not running at " + named);
    }
    if (reachable(LOCAL, REDIS_PORT)) {
      return Lookup.of(redisUrl(LOCAL, REDIS_PORT));
    }
    return Containers.redis();
  }

  /** Holds the MySQL lookup, so that it runs (and a container starts) only for tests that ask. */
  private static final class MySqlLookup {
    static final Lookup<MySqlServer> MYSQL = findMysql();

    private static Lookup<MySqlServer> findMysql() {
      String host = System.getProperty("courier.mysql.host");
      Integer port = Integer.getInteger("courier.mysql.port");
      MySqlServer named =
          new MySqlServer(
              host == null ? LOCAL : host,
              port == null ? MYSQL_PORT : port,
              System.getProperty("courier.mysql.user", "root"),
              System.getProperty("courier.mysql.password", ""),
              false);
      if (reachable(named.host(), named.port())) {
        return Lookup.of(named);
      }
      if (host != null || port != null) {
        return Lookup.none("MySQL is not running on " + named.host() + ":" + named.port());
      }
      return Containers.mysql();
    }
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
