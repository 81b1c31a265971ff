package io.courier.store;

import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.vertx.core.Future;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/** The group contract on one MySQL/MariaDB shard: every group write is one transaction. */
class MySqlGroupStoreTest extends GroupStoreContract {
  private static final List<String> DATABASES = List.of("grp_sql_group_single");
  private boolean databasesFresh;

  @BeforeAll
  static void mysqlRuns() {
    LocalServices.requireMysql();
  }

  /**
   * Empty databases at the first open of each test; the same ones when a test reopens the store.
   */
  @Override
  protected Future<MessageStore> openStore(SqlStoreOptions options) {
    if (!databasesFresh) {
      MySqlDatabases.recreate(vertx, DATABASES);
      databasesFresh = true;
    }
    return MySqlStore.open(vertx, DATABASES.stream().map(MySqlDatabases::uri).toList(), options);
  }
}
