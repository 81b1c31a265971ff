package io.courier.bench;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One event-loop context per event loop of the bench's Vert.x, so that connections can be opened
 * from each in turn.
 *
 * @implNote Sockets opened from a non-Vert.x thread (the bench's main thread) all land on the one
 *     event loop that Vert.x sticks to that thread; {@code vertx.getOrCreateContext()} from the
 *     main thread returns contexts of that same loop. Deploying one empty verticle instance per
 *     event loop is the public way to get contexts on distinct loops (instances are assigned loops
 *     round-robin).
 */
final class LoopContexts {
  private final List<Context> contexts;

  private LoopContexts(List<Context> contexts) {
    this.contexts = contexts;
  }

  static Future<LoopContexts> deploy(Vertx vertx, int count) {
    List<Context> contexts = Collections.synchronizedList(new ArrayList<>());
    return vertx
        .deployVerticle(
            () ->
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    contexts.add(context);
                    return Future.succeededFuture();
                  }
                },
            new DeploymentOptions().setInstances(count))
        .map(id -> new LoopContexts(List.copyOf(contexts)));
  }

  /** The context for item {@code i}: round-robin over the loops. */
  Context get(int i) {
    return contexts.get(Math.floorMod(i, contexts.size()));
  }

  int size() {
    return contexts.size();
  }
}
