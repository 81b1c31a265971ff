package io.courier.faults;

import io.courier.faults.Checker.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a run's verdict and figures as {@code report.json} and a readable {@code report.md}. */
final class Report {
  /** Violations listed per rule; the rest are counted. */
  private static final int LISTED_PER_RULE = 20;

  private Report() {}

  static JsonObject json(JsonObject run, List<Violation> violations, JsonObject figures) {
    JsonArray listed = new JsonArray();
    for (Violation violation : violations) {
      listed.add(new JsonObject().put("rule", violation.rule()).put("detail", violation.detail()));
    }
    return new JsonObject()
        .put("run", run)
        .put("passed", violations.isEmpty())
        .put("violations", listed)
        .put("figures", figures);
  }

  static void write(Path dir, JsonObject report) throws IOException {
    Files.writeString(dir.resolve("report.json"), report.encodePrettily());
    Files.writeString(dir.resolve("report.md"), markdown(report));
  }

  static String markdown(JsonObject report) {
    JsonObject run = report.getJsonObject("run");
    JsonObject figures = report.getJsonObject("figures");
    StringBuilder md = new StringBuilder();
    md.append("# Fault run, seed ").append(run.getValue("seed")).append("\n\n");
    md.append("- outcome: **")
        .append(report.getBoolean("passed") ? "PASSED" : "FAILED")
        .append("**\n");
    run.forEach(
        entry ->
            md.append("- ")
                .append(entry.getKey())
                .append(": ")
                .append(entry.getValue())
                .append('\n'));
    md.append("- operations: ")
        .append(figures.getInteger("operations"))
        .append(", deliveries: ")
        .append(figures.getInteger("deliveries"))
        .append('\n');
    JsonObject groups = figures.getJsonObject("groups", new JsonObject());
    md.append("- groups: ")
        .append(groups.getInteger("groups", 0))
        .append(", C2G requests ")
        .append(groups.getInteger("requests", 0))
        .append(", messages ")
        .append(groups.getInteger("messages", 0))
        .append(", answered 0 ")
        .append(groups.getInteger("answered0", 0))
        .append(", member copies owed ")
        .append(groups.getInteger("memberCopies", 0))
        .append(" (first by push ")
        .append(groups.getInteger("firstByPush", 0))
        .append(", by pull ")
        .append(groups.getInteger("firstByPull", 0))
        .append(", lost ")
        .append(groups.getInteger("lost", 0))
        .append(")\n\n");
    md.append("## Violations\n\n");
    Map<String, Integer> perRule = new LinkedHashMap<>();
    for (Object item : report.getJsonArray("violations")) {
      JsonObject violation = (JsonObject) item;
      int count = perRule.merge(violation.getString("rule"), 1, Integer::sum);
      if (count <= LISTED_PER_RULE) {
        md.append("- `")
            .append(violation.getString("rule"))
            .append("` ")
            .append(violation.getString("detail"))
            .append('\n');
      }
    }
    if (perRule.isEmpty()) {
      md.append("none\n");
    } else {
      md.append("\ncounts: ").append(perRule).append('\n');
    }
    md.append("\n## Operations (kind: answer code → count; -1 = no answer)\n\n");
    figures
        .getJsonObject("byKind")
        .forEach(
            entry ->
                md.append("- ")
                    .append(entry.getKey())
                    .append(": ")
                    .append(entry.getValue())
                    .append('\n'));
    md.append("\n## Faults\n\n");
    md.append(
        "| # | kind | target | detail | held ms | recovered ms after heal | longest without success (ms) login/c2c/c2g/s2c/c2s/pull | p99 / max latency (ms) c2c, s2c | presence on the dead node for (ms) |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (Object item : figures.getJsonArray("faults")) {
      JsonObject fault = (JsonObject) item;
      JsonObject gaps = fault.getJsonObject("unavailableMs");
      JsonObject latency = fault.getJsonObject("latencyMs");
      md.append("| ")
          .append(fault.getLong("id"))
          .append(" | ")
          .append(fault.getString("kind"))
          .append(" | ")
          .append(fault.getString("target"))
          .append(" | ")
          .append(fault.getString("detail"))
          .append(" | ")
          .append(fault.getLong("heldMs"))
          .append(" | ")
          .append(fault.getLong("recoveredMsAfterHeal"))
          .append(" | ");
      for (String kind : Figures.MEASURED) {
        md.append(gaps.getLong(kind)).append(kind.equals("pull") ? "" : " / ");
      }
      md.append(" | ")
          .append(p99max(latency.getJsonObject("c2c")))
          .append(", ")
          .append(p99max(latency.getJsonObject("s2c")))
          .append(" | ")
          .append(fault.getValue("presenceStaleMs", "-"))
          .append(" |\n");
    }
    md.append("\n## Longest time without a successful request, per fault kind (ms)\n\n");
    figures
        .getJsonObject("maxUnavailableMsByFaultKind")
        .forEach(
            entry ->
                md.append("- ")
                    .append(entry.getKey())
                    .append(": ")
                    .append(entry.getValue())
                    .append('\n'));
    md.append("\n## Latency outside the fault windows (ms)\n\n");
    figures
        .getJsonObject("latencyOutsideFaultsMs")
        .forEach(
            entry ->
                md.append("- ")
                    .append(entry.getKey())
                    .append(": ")
                    .append(entry.getValue())
                    .append('\n'));
    return md.toString();
  }

  private static String p99max(JsonObject stats) {
    if (stats == null || stats.getInteger("count", 0) == 0) {
      return "-";
    }
    return stats.getLong("p99") + " / " + stats.getLong("max");
  }
}
