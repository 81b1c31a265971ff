package io.courier.testkit.fakes;

import io.courier.store.MessageStore;
import io.courier.store.MessageStoreContract;
import io.courier.store.SqlStoreOptions;
import io.vertx.core.Future;

/** The fake is held to the contract of the real stores, so flow tests built on it can trust it. */
class InMemoryMessageStoreTest extends MessageStoreContract {
  private final InMemoryMessageStore memory = new InMemoryMessageStore();

  @Override
  protected Future<MessageStore> openStore(SqlStoreOptions options) {
    memory.configure(options);
    return memory.open().map(memory);
  }
}
