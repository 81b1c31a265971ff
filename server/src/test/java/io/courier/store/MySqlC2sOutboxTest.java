package io.courier.store;

import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.vertx.core.Future;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/** The C2S outbox on two MySQL shards. */
class MySqlC2sOutboxTest extends C2sOutboxContract {
  private static final List<String> DATABASES = List.of("courier_c2s_shard0", "courier_c2s_shard1");
  private boolean databasesFresh;

  @BeforeAll
  static void mysqlRuns() {
    LocalServices.requireMysql();
  }

  @Override
  protected Future<C2sOutbox> openOutbox() {
    if (!databasesFresh) {
      MySqlDatabases.recreate(vertx, DATABASES);
      databasesFresh = true;
    }
    return C2sOutboxes.mysql(vertx, DATABASES.stream().map(MySqlDatabases::uri).toList());
  }
}
