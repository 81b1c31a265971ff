package io.courier.bench;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of the results that are not success, by kind: a response {@code code} ≠ 0 (key {@code
 * "429"}), or a failure without a response (key {@code "timeout"}, {@code "closed"}, or the
 * bridge's or event bus's failure type such as {@code "NO_HANDLERS"}). Thread-safe.
 */
public final class Outcomes {
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  /** Counts a response body: nothing for code 0, else its code. */
  public void response(JsonObject body) {
    int code = codeOf(body);
    if (code != 0) {
      count(Integer.toString(code));
    }
  }

  /** Counts a request that failed without a response. */
  public void failure(Throwable failure) {
    count(kindOf(failure));
  }

  public void count(String kind) {
    counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  public long total() {
    long total = 0;
    for (LongAdder adder : counts.values()) {
      total += adder.sum();
    }
    return total;
  }

  /** The counts, numeric codes first in ascending order, then the named kinds. */
  public JsonObject toJson() {
    Map<String, Long> sorted = new TreeMap<>(Outcomes::compareKinds);
    counts.forEach((kind, adder) -> sorted.put(kind, adder.sum()));
    JsonObject json = new JsonObject();
    sorted.forEach(json::put);
    return json;
  }

  /** e.g. {@code none}, or {@code 429: 12, timeout: 3}. */
  public String text() {
    JsonObject json = toJson();
    if (json.isEmpty()) {
      return "none";
    }
    StringBuilder text = new StringBuilder();
    json.forEach(
        entry -> {
          if (text.length() > 0) {
            text.append(", ");
          }
          text.append(entry.getKey())
              .append(": ")
              .append(String.format("%,d", (Long) entry.getValue()));
        });
    return text.toString();
  }

  /**
   * The {@code code} of a response body; a body without one counts as 500 (the server broke the
   * contract).
   */
  static int codeOf(JsonObject body) {
    Object code = body == null ? null : body.getValue("code");
    return code instanceof Number ? ((Number) code).intValue() : 500;
  }

  static String kindOf(Throwable failure) {
    if (failure instanceof TimeoutException) {
      return "timeout";
    }
    if (failure instanceof BridgeClient.BridgeFailure) {
      return ((BridgeClient.BridgeFailure) failure).kind();
    }
    if (failure instanceof ReplyException) {
      // the event bus's own send timeout is the bench's request timeout, as the bridge sender's
      // sweep is
      ReplyFailure type = ((ReplyException) failure).failureType();
      return type == ReplyFailure.TIMEOUT ? "timeout" : type.name();
    }
    String message = String.valueOf(failure.getMessage());
    if (message.contains("closed")) {
      return "closed";
    }
    return failure.getClass().getSimpleName();
  }

  private static int compareKinds(String a, String b) {
    boolean numericA = a.chars().allMatch(Character::isDigit);
    boolean numericB = b.chars().allMatch(Character::isDigit);
    if (numericA && numericB) {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    }
    if (numericA != numericB) {
      return numericA ? -1 : 1;
    }
    return a.compareTo(b);
  }
}
