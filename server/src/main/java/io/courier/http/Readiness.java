package io.courier.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.Status;

/**
 * The public readiness report ({@code GET /ready}): per check {@code UP}, or {@code DOWN} with one
 * of a few fixed {@link Reason reasons}. It never carries a check's own data or failure: those hold
 * backend error text (host names, user names, driver messages) that a public port must not show;
 * the node logs them instead.
 */
public final class Readiness {

  /** Why a check is down, as the report says it. */
  public enum Reason {
    /** The backend's probe failed. */
    UNREACHABLE("unreachable"),
    /** The gate is closing its connections (the node stops). */
    DRAINING("draining"),
    /** The cluster member is not running. */
    STOPPED("stopped"),
    /** The check did not answer within its bound, or failed on its own. */
    NO_ANSWER("no answer");

    private static final String KEY = "reason";

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    /** A check's status: down for this reason. */
    public Status status() {
      return Status.KO(new JsonObject().put(KEY, name()));
    }

    /** What the report says. */
    public String text() {
      return text;
    }

    /** The reason {@code check} was put down for by {@link #status()}, else {@link #NO_ANSWER}. */
    static Reason of(CheckResult check) {
      Status status = check.getStatus();
      JsonObject data = status == null ? null : status.getData();
      String name = data == null ? null : data.getString(KEY);
      for (Reason reason : values()) {
        if (reason.name().equals(name)) {
          return reason;
        }
      }
      return NO_ANSWER;
    }
  }

  private Readiness() {}

  /**
   * {@code {status, checks: [{id, status, data?: {reason}}], outcome}}, the shape of Vert.x's
   * health-check handler; {@code status} and {@code outcome} are both {@code UP} or {@code DOWN}.
   */
  public static JsonObject report(CheckResult result) {
    JsonArray checks = new JsonArray();
    for (CheckResult check : result.getChecks()) {
      JsonObject json = new JsonObject().put("id", check.getId());
      if (CheckResult.isUp(check)) {
        json.put("status", "UP");
      } else {
        json.put("status", "DOWN")
            .put("data", new JsonObject().put(Reason.KEY, Reason.of(check).text()));
      }
      checks.add(json);
    }
    String status = CheckResult.isUp(result) ? "UP" : "DOWN";
    return new JsonObject().put("status", status).put("checks", checks).put("outcome", status);
  }
}
