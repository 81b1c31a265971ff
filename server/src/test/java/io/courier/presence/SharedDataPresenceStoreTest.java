package io.courier.presence;

import io.vertx.core.Vertx;

class SharedDataPresenceStoreTest extends PresenceStoreContract {

  @Override
  protected PresenceStore newStore(Vertx vertx) {
    return new SharedDataPresenceStore(vertx);
  }
}
