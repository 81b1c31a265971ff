package io.courier.contract;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
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
 *     <p>Rejected, measured: giving a caller the instance on its own event loop, so that the
 *     bridge's call runs at once instead of as a task on another loop. It saved a hand-off per
 *     push, but against the turn the node's CPU per message stayed the same within the noise, and
 *     the bridge's one event loop then carried 70 % of the node's samples instead of 50 %: a calm
 *     machine delivered 3 % less (docs/benchmarks.md, the hot path).
 */
public final class LocalRouting {
  /** One routing instance. */
  public interface Instance {
    /** The context its handlers run on. */
    Context context();

    /**
     * Its answer to a request on {@code address} ({@code courier.s2c} or {@code
     * courier.s2c.multi}), as its consumer replies it; called on {@link #context()}. The {@code
     * body} is handed over, not copied as local delivery copies it for a consumer: the caller built
     * it for this request and does not touch it again, and the handlers only read it.
     */
    Future<JsonObject> serve(String address, JsonObject body);
  }

  /** The listed instances, replaced as a whole on every change (a handful, changed rarely). */
  private volatile Instance[] instances = new Instance[0];

  private final AtomicInteger next = new AtomicInteger();

  /** Lists {@code instance}: it serves requests from now on. */
  public synchronized void add(Instance instance) {
    Instance[] now = instances;
    Instance[] grown = Arrays.copyOf(now, now.length + 1);
    grown[now.length] = instance;
    instances = grown;
  }

  /** Unlists {@code instance}: it is stopping. */
  public synchronized void remove(Instance instance) {
    instances =
        Arrays.stream(instances).filter(listed -> listed != instance).toArray(Instance[]::new);
  }

  /** Whether {@code instance} is still listed. */
  public boolean serves(Instance instance) {
    for (Instance listed : instances) {
      if (listed == instance) {
        return true;
      }
    }
    return false;
  }

  /** The next instance in turn, as the event bus picks a local consumer; null when none runs. */
  public Instance pick() {
    Instance[] now = instances;
    if (now.length == 0) {
      return null;
    }
    return now[Math.floorMod(next.getAndIncrement(), now.length)];
  }
}
