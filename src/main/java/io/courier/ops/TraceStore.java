package io.courier.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps this node took for each message, by logid, bounded in count and in time: at most
 * {@code maxMessages} logids, none older than {@code retentionMs}. The oldest logid is dropped first.
 * Thread-safe (every role of the node records here).
 */
public final class TraceStore {
  /** Steps of one message on one node; more are counted but not kept. */
  static final int MAX_STEPS = 64;

  private final int maxMessages;
  private final long retentionMs;
  private final LinkedHashMap<String, Trace> byLogid = new LinkedHashMap<>();

  public TraceStore(int maxMessages, long retentionMs) {
    this.maxMessages = maxMessages;
    this.retentionMs = retentionMs;
  }

  /** Records that {@code step} happened to the message {@code logid} at {@code ts} on {@code node}. */
  public synchronized void record(String logid, long ts, String node, String step, JsonObject detail) {
    Trace trace = byLogid.get(logid);
    if (trace == null) {
      evict(ts);
      trace = new Trace(ts);
      byLogid.put(logid, trace);
    }
    if (trace.steps.size() < MAX_STEPS) {
      trace.steps.add(new Step(ts, node, step, detail));
    }
  }

  /** The steps of {@code logid} on this node, in the order they happened (empty when unknown or expired). */
  public synchronized JsonArray steps(String logid, long now) {
    Trace trace = byLogid.get(logid);
    if (trace == null || now - trace.created > retentionMs) {
      return new JsonArray();
    }
    JsonArray steps = new JsonArray();
    trace.steps.forEach(recorded -> steps.add(new JsonObject().put("ts", recorded.ts()).put("node", recorded.node())
      .put("step", recorded.step()).mergeIn(recorded.detail())));
    return steps;
  }

  private void evict(long now) {
    Iterator<Map.Entry<String, Trace>> oldest = byLogid.entrySet().iterator();
    while (oldest.hasNext()) {
      Trace trace = oldest.next().getValue();
      if (byLogid.size() < maxMessages && now - trace.created <= retentionMs) {
        return;
      }
      oldest.remove();
    }
  }

  /** A step as recorded; its JSON is built only when someone asks for the trace. */
  private record Step(long ts, String node, String step, JsonObject detail) {
  }

  private static final class Trace {
    final long created;
    final List<Step> steps = new ArrayList<>(4);

    Trace(long created) {
      this.created = created;
    }
  }
}
