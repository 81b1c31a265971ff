package io.courier.faults;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The figures of a run, from its history: operations per kind and answer code, the faults, and for
 * each fault how long each kind of request could not succeed and how long requests took while it
 * lasted and shortly after, and what became of the group messages.
 */
final class Figures {
  /** Requests whose availability and latency are measured through each fault. */
  static final List<String> MEASURED = List.of("login", "c2c", "c2g", "s2c", "c2s", "pull");

  /** A fault's window runs from its start to this long after its heal, or to the next fault. */
  static final long TAIL_MS = 15_000;

  private Figures() {}

  static JsonObject of(List<JsonObject> events) {
    List<JsonObject> ops = Checker.byType(events, "op");
    JsonObject figures = new JsonObject();
    figures.put("operations", ops.size());
    figures.put("deliveries", Checker.byType(events, "deliver").size());
    figures.put("byKind", countsByKindAndCode(ops));
    figures.put("groups", groups(events, ops));
    JsonArray faults = new JsonArray();
    Map<String, JsonObject> maxByKind = new TreeMap<>();
    List<long[]> windows = new ArrayList<>();
    List<JsonObject> starts = new ArrayList<>();
    for (JsonObject fault : Checker.byType(events, "fault")) {
      if ("start".equals(fault.getString("phase"))) {
        starts.add(fault);
      }
    }
    for (int i = 0; i < starts.size(); i++) {
      JsonObject start = starts.get(i);
      long id = start.getLong("id");
      long from = start.getLong("t");
      long heal = phaseTime(events, id, "heal", from);
      long recovered = phaseTime(events, id, "recovered", heal);
      long next = i + 1 < starts.size() ? starts.get(i + 1).getLong("t") : Long.MAX_VALUE;
      long to = Math.min(heal + TAIL_MS, next);
      windows.add(new long[] {from, to});
      JsonObject fault =
          new JsonObject()
              .put("id", id)
              .put("kind", start.getString("kind"))
              .put("target", start.getString("target"))
              .put("detail", start.getString("detail"))
              .put("heldMs", heal - from)
              .put("recoveredMsAfterHeal", recovered - heal);
      JsonObject unavailable = new JsonObject();
      JsonObject latency = new JsonObject();
      for (String kind : MEASURED) {
        unavailable.put(kind, longestGap(ops, kind, from, to));
        latency.put(kind, latency(ops, kind, from, to, next));
      }
      fault.put("unavailableMs", unavailable).put("latencyMs", latency);
      Long stale = presenceStaleMs(events, from);
      if (stale != null) {
        fault.put("presenceStaleMs", stale);
      }
      faults.add(fault);
      JsonObject max =
          maxByKind.computeIfAbsent(
              start.getString("kind"), k -> new JsonObject().put("faults", 0));
      max.put("faults", max.getInteger("faults") + 1);
      for (String kind : MEASURED) {
        max.put(kind, Math.max(max.getLong(kind, 0L), unavailable.getLong(kind)));
      }
    }
    figures.put("faults", faults);
    figures.put("maxUnavailableMsByFaultKind", new JsonObject(new TreeMap<>(toMap(maxByKind))));
    JsonObject baseline = new JsonObject();
    for (String kind : MEASURED) {
      baseline.put(kind, latencyOutside(ops, kind, windows));
    }
    figures.put("latencyOutsideFaultsMs", baseline);
    return figures;
  }

  /**
   * The group messages: requests, messages (cmids) and those answered 0; the member copies those
   * owe (each member but the sender), how many of them arrived first by PUSH or by PULL, and how
   * many never did.
   */
  static JsonObject groups(List<JsonObject> events, List<JsonObject> ops) {
    Map<String, List<String>> members = new TreeMap<>();
    for (JsonObject group : Checker.byType(events, "group")) {
      List<String> terms = new ArrayList<>();
      group.getJsonArray("members").forEach(member -> terms.add((String) member));
      members.put(group.getString("group"), terms);
    }
    Map<String, String> firstVia = new TreeMap<>();
    for (JsonObject delivery : Checker.byType(events, "deliver")) {
      firstVia.putIfAbsent(
          delivery.getString("term") + " " + delivery.getString("msgid"),
          delivery.getString("via"));
    }
    int requests = 0;
    Map<String, JsonObject> answered = new TreeMap<>();
    Set<String> messages = new TreeSet<>();
    for (JsonObject op : ops) {
      if (!"c2g".equals(op.getString("op"))) {
        continue;
      }
      requests++;
      messages.add(op.getString("key"));
      if (op.getInteger("code", History.NO_ANSWER) == 0 && op.getString("msgid") != null) {
        answered.putIfAbsent(op.getString("key"), op);
      }
    }
    int copies = 0;
    Map<String, Integer> byVia = new TreeMap<>();
    for (JsonObject op : answered.values()) {
      for (String member : members.getOrDefault(op.getString("group"), List.of())) {
        if (member.equals(op.getString("from"))) {
          continue;
        }
        copies++;
        String via = firstVia.get(member + " " + op.getString("msgid"));
        byVia.merge(via == null ? "lost" : via, 1, Integer::sum);
      }
    }
    return new JsonObject()
        .put("groups", members.size())
        .put("requests", requests)
        .put("messages", messages.size())
        .put("answered0", answered.size())
        .put("memberCopies", copies)
        .put("firstByPush", byVia.getOrDefault("push", 0))
        .put("firstByPull", byVia.getOrDefault("pull", 0))
        .put("lost", byVia.getOrDefault("lost", 0));
  }

  private static Map<String, Object> toMap(Map<String, JsonObject> map) {
    Map<String, Object> plain = new TreeMap<>();
    plain.putAll(map);
    return plain;
  }

  /**
   * For a fault that took a node down (recorded as a {@code node down} event within a second of the
   * fault's start): how long presence samples still showed records on that node, from the moment it
   * went down to the last sample that did (0 when none did), while it stayed down. Null for other
   * faults. Samples come every second, so this is exact to about a second.
   */
  static Long presenceStaleMs(List<JsonObject> events, long faultStart) {
    String node = null;
    long down = 0;
    long last = 0;
    for (JsonObject event : events) {
      String type = event.getString("ev");
      long t = event.getLong("t");
      if (node == null) {
        if ("node".equals(type)
            && "down".equals(event.getString("state"))
            && t >= faultStart
            && t <= faultStart + 1_000) {
          node = event.getString("vertx");
          down = t;
          last = t;
        }
      } else if ("node".equals(type) && node.equals(event.getString("vertx"))) {
        break;
      } else if ("presence".equals(type)) {
        for (Object record : event.getJsonArray("recs")) {
          if (node.equals(((JsonArray) record).getString(2))) {
            last = t;
          }
        }
      }
    }
    return node == null ? null : last - down;
  }

  private static JsonObject countsByKindAndCode(List<JsonObject> ops) {
    Map<String, Map<String, Integer>> counts = new TreeMap<>();
    for (JsonObject op : ops) {
      String kind = op.getString("op");
      if ("s2c".equals(kind)) {
        kind = "s2c-qos" + op.getInteger("qos", 1);
      } else if ("c2s".equals(kind)) {
        kind = "c2s-qos" + op.getInteger("qos", 0);
      }
      int code = op.getInteger("code", History.NO_ANSWER);
      String outcome = code == History.NO_ANSWER ? "no answer" : Integer.toString(code);
      if (code == 0 && kind.startsWith("c2s") && op.getString("status") != null) {
        outcome += " " + op.getString("status");
      }
      counts.computeIfAbsent(kind, k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
    }
    JsonObject json = new JsonObject();
    counts.forEach((kind, byCode) -> json.put(kind, new JsonObject(new TreeMap<>(byCode))));
    return json;
  }

  private static long phaseTime(List<JsonObject> events, long id, String phase, long otherwise) {
    for (JsonObject event : Checker.byType(events, "fault")) {
      if (event.getLong("id") == id && phase.equals(event.getString("phase"))) {
        return event.getLong("t");
      }
    }
    return otherwise;
  }

  /**
   * The longest stretch of {@code [from, to]} in which no request of {@code kind} was answered 0:
   * from the window's start (or a success) to the next success (or the window's end).
   */
  static long longestGap(List<JsonObject> ops, String kind, long from, long to) {
    List<Long> successes = new ArrayList<>();
    for (JsonObject op : ops) {
      long end = op.getLong("end", op.getLong("t"));
      if (kind.equals(op.getString("op"))
          && op.getInteger("code", History.NO_ANSWER) == 0
          && end >= from
          && end <= to) {
        successes.add(end);
      }
    }
    successes.sort(Long::compare);
    long longest = 0;
    long previous = from;
    for (long success : successes) {
      longest = Math.max(longest, success - previous);
      previous = success;
    }
    return Math.max(longest, to - previous);
  }

  /**
   * Latency of the requests of {@code kind} sent in {@code [from, to]} and answered before {@code
   * next} (the next fault's start): one sent just before the next fault and caught by it belongs to
   * that fault, not to this one.
   */
  private static JsonObject latency(
      List<JsonObject> ops, String kind, long from, long to, long next) {
    List<Long> took = new ArrayList<>();
    int failed = 0;
    for (JsonObject op : ops) {
      long t = op.getLong("t");
      if (kind.equals(op.getString("op")) && t >= from && t <= to && op.getLong("end", t) < next) {
        took.add(op.getLong("end", t) - t);
        if (op.getInteger("code", History.NO_ANSWER) != 0) {
          failed++;
        }
      }
    }
    return stats(took).put("notOk", failed);
  }

  private static JsonObject latencyOutside(
      List<JsonObject> ops, String kind, List<long[]> windows) {
    List<Long> took = new ArrayList<>();
    for (JsonObject op : ops) {
      long t = op.getLong("t");
      if (kind.equals(op.getString("op"))
          && windows.stream().noneMatch(w -> t >= w[0] && t <= w[1])) {
        took.add(op.getLong("end", t) - t);
      }
    }
    return stats(took);
  }

  static JsonObject stats(List<Long> values) {
    JsonObject stats = new JsonObject().put("count", values.size());
    if (values.isEmpty()) {
      return stats;
    }
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(Long::compare);
    return stats
        .put("p50", percentile(sorted, 0.50))
        .put("p99", percentile(sorted, 0.99))
        .put("max", sorted.get(sorted.size() - 1));
  }

  private static long percentile(List<Long> sorted, double q) {
    int index = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
