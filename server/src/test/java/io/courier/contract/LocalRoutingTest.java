package io.courier.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which routing instance a caller on this node gets: each in turn, as the event bus picks a local
 * consumer, whatever thread the caller is on.
 */
class LocalRoutingTest {
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  private final LocalRouting routing = new LocalRouting();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aCallerOnAnotherThreadGetsTheInstancesInTurn() {
    Instance first = instance();
    Instance second = instance();
    routing.add(first);
    routing.add(second);

    List<LocalRouting.Instance> picked = picks(4);

    assertNotSame(picked.get(0), picked.get(1));
    assertEquals(List.of(picked.get(0), picked.get(1)), picked.subList(2, 4));
  }

  @Test
  void aCallerOnAnInstancesOwnLoopGetsTheInstancesInTurnToo() {
    Instance first = instance();
    Instance second = instance();
    routing.add(first);
    routing.add(second);

    List<LocalRouting.Instance> picked = onLoopOf(first, () -> picks(2));

    assertEquals(2, picked.stream().distinct().count());
  }

  @Test
  void anUnlistedInstanceIsNeitherPickedNorServing() {
    Instance first = instance();
    Instance second = instance();
    routing.add(first);
    routing.add(second);

    routing.remove(first);

    assertFalse(routing.serves(first));
    assertTrue(routing.serves(second));
    assertEquals(List.of(second, second), picks(2));
    routing.remove(second);
    assertNull(routing.pick());
  }

  private List<LocalRouting.Instance> picks(int count) {
    List<LocalRouting.Instance> picked = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      picked.add(routing.pick());
    }
    return picked;
  }

  private <T> T onLoopOf(Instance instance, Callable<T> work) {
    return Future.<T>future(
            done ->
                instance
                    .context()
                    .runOnContext(
                        v -> {
                          try {
                            done.complete(work.call());
                          } catch (Exception e) {
                            done.fail(e);
                          }
                        }))
        .await();
  }

  /** An instance on an event loop of its own (the loops are taken in turn). */
  private Instance instance() {
    return new Instance(((VertxInternal) vertx).createEventLoopContext());
  }

  private record Instance(ContextInternal context) implements LocalRouting.Instance {
    @Override
    public Future<JsonObject> serve(String address, JsonObject body) {
      return Future.succeededFuture(new JsonObject());
    }
  }
}
