package io.courier.ops;

import io.courier.protocol.body.Step;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last steps this node took for any message, for the trace API: a ring of {@code capacity}
 * steps, the oldest overwritten first, none returned once older than {@code retentionMs}.
 *
 * <p>Recording is on every message's path, from every event loop, so it takes no lock and builds no
 * JSON: one slot claimed with an atomic counter, one immutable step written into it. A query (rare,
 * an operator asking) scans the whole ring for the logid and builds the JSON then.
 */
public final class TraceStore {
  private final AtomicReferenceArray<Recorded> ring;
  private final AtomicLong recorded = new AtomicLong();
  private final long retentionMs;

  /**
   * What a step adds to its JSON ({@code ts}, {@code node}, {@code step} are written by the store).
   */
  @FunctionalInterface
  public interface Detail {
    void writeTo(JsonObject step);
  }

  public TraceStore(int capacity, long retentionMs) {
    this.ring = new AtomicReferenceArray<>(capacity);
    this.retentionMs = retentionMs;
  }

  /**
   * Records that {@code step} happened to the message {@code logid} at {@code ts} on {@code node}.
   */
  public void record(String logid, long ts, String node, Step step, Detail detail) {
    if (ring.length() == 0) {
      return;
    }
    long sequence = recorded.getAndIncrement();
    ring.setRelease(
        (int) (sequence % ring.length()), new Recorded(sequence, logid, ts, node, step, detail));
  }

  /** The steps of {@code logid} still kept, in the order they were recorded (empty when none). */
  public JsonArray steps(String logid, long now) {
    List<Recorded> found = new ArrayList<>();
    for (int i = 0; i < ring.length(); i++) {
      Recorded step = ring.getAcquire(i);
      if (step != null && step.logid().equals(logid) && now - step.ts() <= retentionMs) {
        found.add(step);
      }
    }
    found.sort(Comparator.comparingLong(Recorded::sequence));
    JsonArray steps = new JsonArray();
    for (Recorded recorded : found) {
      JsonObject json =
          new JsonObject()
              .put("ts", recorded.ts())
              .put("node", recorded.node())
              .put("step", recorded.step().wire());
      recorded.detail().writeTo(json);
      steps.add(json);
    }
    return steps;
  }

  private record Recorded(
      long sequence, String logid, long ts, String node, Step step, Detail detail) {}
}
