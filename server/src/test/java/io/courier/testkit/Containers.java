package io.courier.testkit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Redis and MySQL in Docker, for a machine that runs neither ({@link LocalServices} decides when).
 * A container is never stopped by the tests: Testcontainers' reaper removes it when the JVM that
 * started it exits, so one container serves every test class of a run.
 */
final class Containers {
  /** Redis 7, as in {@code docker/compose.yaml}. */
  static final String REDIS_IMAGE = "redis:7";

  /** The MySQL of {@code docker/compose.yaml}. */
  static final String MYSQL_IMAGE = "mysql:8.4";

  private static final int REDIS_PORT = 6379;

  private Containers() {}

  static Lookup<String> redis() {
    if (!dockerAvailable()) {
      return Lookup.none("Redis is not running on 127.0.0.1:6379 and there is no Docker engine");
    }
    try {
      GenericContainer<?> redis =
          new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE)).withExposedPorts(REDIS_PORT);
      redis.start();
      return Lookup.of(LocalServices.redisUrl(redis.getHost(), redis.getMappedPort(REDIS_PORT)));
    } catch (RuntimeException e) {
      return Lookup.none("Redis is not running on 127.0.0.1:6379 and " + failed(REDIS_IMAGE, e));
    }
  }

  /**
   * Root with an empty password, as on the local server. {@link MySQLContainer} waits until the
   * server answers a JDBC query, hence the MySQL JDBC driver among the test dependencies.
   */
  static Lookup<MySqlServer> mysql() {
    if (!dockerAvailable()) {
      return Lookup.none("MySQL is not running on 127.0.0.1:3306 and there is no Docker engine");
    }
    try {
      MySQLContainer mysql =
          new MySQLContainer(DockerImageName.parse(MYSQL_IMAGE))
              .withUsername("root")
              .withPassword("");
      mysql.start();
      return Lookup.of(
          new MySqlServer(
              mysql.getHost(),
              mysql.getMappedPort(MySQLContainer.MYSQL_PORT),
              mysql.getUsername(),
              mysql.getPassword(),
              true));
    } catch (RuntimeException e) {
      return Lookup.none("MySQL is not running on 127.0.0.1:3306 and " + failed(MYSQL_IMAGE, e));
    }
  }

  private static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  private static String failed(String image, RuntimeException e) {
    return "a container of " + image + " did not start: " + e;
  }
}
