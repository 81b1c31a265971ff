package io.courier.testkit.fakes;

import io.courier.store.GroupStoreContract;
import io.courier.store.MessageStore;
import io.courier.store.SqlStoreOptions;
import io.vertx.core.Future;

/** The fake keeps groups as the real stores do, so flow tests built on it can trust it. */
class InMemoryGroupStoreTest extends GroupStoreContract {
  private final InMemoryMessageStore memory = new InMemoryMessageStore();

  @Override
  protected Future<MessageStore> openStore(SqlStoreOptions options) {
    memory.configure(options);
    return memory.open().map(memory);
  }
}
