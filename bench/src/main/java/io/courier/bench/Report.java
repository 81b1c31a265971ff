package io.courier.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The results of one bench run, built once and printed two ways: a summary for people (one figure
 * per line, grouped in sections) and one JSON line for scripts ({@code --json}), with the same
 * figures under stable keys.
 */
final class Report {
  private final JsonObject json = new JsonObject();
  private final JsonObject results = new JsonObject();
  private final JsonArray notes = new JsonArray();
  private final List<String> lines = new ArrayList<>();
  private JsonObject section = results;

  Report(Scenario scenario, BenchOptions options) {
    json.put("bench", scenario.scenarioName())
        .put("at", Instant.now().toString())
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("options", options.toJson());
    lines.add("courier bench " + scenario.scenarioName() + "   " + options.toJson().encode());
  }

  /** Starts a group of figures: a heading in the summary, a nested object in the JSON. */
  Report section(String key, String title) {
    section = new JsonObject();
    results.put(key, section);
    lines.add("");
    lines.add(title);
    return this;
  }

  Report count(String key, String label, long count) {
    section.put(key, count);
    return line(label, String.format("%,d", count));
  }

  /** {@code count} over {@code seconds}: JSON {@code {count, seconds, per_second}}. */
  Report rate(String key, String label, long count, double seconds) {
    double perSecond = seconds > 0 ? count / seconds : 0;
    section.put(
        key,
        new JsonObject()
            .put("count", count)
            .put("seconds", round(seconds))
            .put("per_second", round(perSecond)));
    return line(label, String.format("%,.0f/s  (%,d in %.2f s)", perSecond, count, seconds));
  }

  Report latency(String key, String label, Latency.Summary summary) {
    section.put(key, summary.toJson());
    return line(label, summary.text());
  }

  Report outcomes(String key, String label, Outcomes outcomes) {
    section.put(key, outcomes.toJson());
    return line(label, outcomes.text());
  }

  Report value(String key, String label, Object jsonValue, String text) {
    section.put(key, jsonValue);
    return line(label, text);
  }

  /** A size in KiB, or "n/a" (JSON null) when it could not be measured. */
  Report kib(String key, String label, OptionalLong kib) {
    section.put(key, kib.isPresent() ? kib.getAsLong() : null);
    return line(label, kib.isPresent() ? String.format("%,d KiB", kib.getAsLong()) : "n/a");
  }

  /** courier / baseline; JSON null when the baseline is 0. */
  Report ratio(String key, String label, double courier, double baseline) {
    if (baseline <= 0) {
      section.put(key, null);
      return line(label, "n/a");
    }
    double ratio = courier / baseline;
    section.put(key, round(ratio));
    return line(label, String.format("%.3f", ratio));
  }

  Report note(String note) {
    notes.add(note);
    lines.add("  note: " + note);
    return this;
  }

  /** Embeds another report's results (the baseline's) under {@code key}. */
  Report embed(String key, String title, Report other) {
    results.put(key, other.results);
    lines.add("");
    lines.add(title);
    for (String line : other.lines.subList(1, other.lines.size())) {
      lines.add(line.isEmpty() ? line : "  " + line);
    }
    return this;
  }

  void print(PrintStream summary, PrintStream jsonOut, boolean asJson) {
    for (String line : lines) {
      summary.println(line);
    }
    summary.flush();
    if (asJson) {
      JsonObject out = json.copy().put("results", results);
      if (!notes.isEmpty()) {
        out.put("notes", notes);
      }
      jsonOut.println(out.encode());
      jsonOut.flush();
    }
  }

  private Report line(String label, String text) {
    lines.add(String.format("  %-30s %s", label, text));
    return this;
  }

  static double round(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }
}
