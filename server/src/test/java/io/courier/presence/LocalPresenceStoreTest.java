package io.courier.presence;

import io.vertx.core.Vertx;

class LocalPresenceStoreTest extends PresenceStoreContract {

  @Override
  protected PresenceStore newStore(Vertx vertx) {
    return new LocalPresenceStore();
  }
}
