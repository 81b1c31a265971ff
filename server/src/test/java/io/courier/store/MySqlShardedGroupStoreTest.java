package io.courier.store;

import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.vertx.core.Future;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/**
 * The group contract on two MySQL/MariaDB shards: the contract's groups and members fall on both
 * (its groups, alice and carol on shard 1; bob and dave on shard 0), so its messages are written
 * across shards, their membership read on the group's shard.
 */
class MySqlShardedGroupStoreTest extends GroupStoreContract {
  private static final List<String> DATABASES =
      List.of("grp_sql_group_shard0", "grp_sql_group_shard1");
  private boolean databasesFresh;

  @BeforeAll
  static void mysqlRuns() {
    LocalServices.requireMysql();
  }

  @Override
  protected Future<MessageStore> openStore(SqlStoreOptions options) {
    if (!databasesFresh) {
      MySqlDatabases.recreate(vertx, DATABASES);
      databasesFresh = true;
    }
    return MySqlStore.open(vertx, DATABASES.stream().map(MySqlDatabases::uri).toList(), options);
  }
}
