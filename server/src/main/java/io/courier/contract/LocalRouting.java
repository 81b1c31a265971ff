package io.courier.contract;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The routing instances running on this node, for a caller on the same node that would otherwise
 * reach {@link Addresses#S2C} and {@link Addresses#S2C_MULTI} by an event-bus request with local
 * delivery (the business bridge): it calls an instance's handler on that instance's context, and
 * keeps the request's deadline itself.
 *
 * @implNote One object per node, made by the node and handed to every routing instance and to the
 *     bridge, as the gate's {@code LocalSessions} is handed to routing. An instance is listed from
 *     the end of its {@code start} to the beginning of its {@code stop}; a caller that finds none
 *     uses the event bus, which then answers as it always did ({@code NO_HANDLERS} when routing
 *     does not run here). Rejected: a node-local event-bus consumer, which would keep the
 *     per-request reply registration and timer this exists to save.
 */
public final class LocalRouting {
  /** One routing instance. */
  public interface Instance {
    /** The context its handlers run on. */
    Context context();

    /**
     * Its answer to a request on {@code address} ({@code courier.s2c} or {@code
     * courier.s2c.multi}), as its consumer replies it; called on {@link #context()}.
     */
    Future<JsonObject> serve(String address, JsonObject body);
  }

  private final List<Instance> instances = new CopyOnWriteArrayList<>();
  private final AtomicInteger next = new AtomicInteger();

  /** Lists {@code instance}: it serves requests from now on. */
  public void add(Instance instance) {
    instances.add(instance);
  }

  /** Unlists {@code instance}: it is stopping. */
  public void remove(Instance instance) {
    instances.remove(instance);
  }

  /** Whether {@code instance} is still listed. */
  public boolean serves(Instance instance) {
    return instances.contains(instance);
  }

  /** The next instance in turn, as the event bus picks a local consumer; null when none runs. */
  public Instance pick() {
    List<Instance> now = instances;
    int size = now.size();
    if (size == 0) {
      return null;
    }
    try {
      return now.get(Math.floorMod(next.getAndIncrement(), size));
    } catch (IndexOutOfBoundsException removedMeanwhile) {
      return pick();
    }
  }
}
