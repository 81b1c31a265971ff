package io.courier.push;

import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.vertx.core.Future;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on two MySQL/MariaDB shards: a token moving between users of two shards, and a dead
 * token found through the token's shard, are part of it (the uids of the contract spread over
 * both).
 */
class MySqlDeviceRegistryTest extends DeviceRegistryContract {
  private static final List<String> DATABASES =
      List.of("courier_test_devices0", "courier_test_devices1");
  private boolean fresh;

  @BeforeAll
  static void mysqlRuns() {
    LocalServices.requireMysql();
  }

  @Override
  protected Future<DeviceRegistry> open() {
    if (!fresh) {
      MySqlDatabases.recreate(vertx, DATABASES);
      fresh = true;
    }
    return MySqlDeviceRegistry.open(vertx, DATABASES.stream().map(MySqlDatabases::uri).toList());
  }
}
