package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * The body of the response {@code 0x8001} to a LOGIN that did not succeed: {@code {code, msg,
 * retry_after?}} (protocol.md 9.1). {@code retry_after}, in milliseconds, comes with 503 only: the
 * gate draws it with jitter so that the clients a backend outage refused do not all come back at
 * the same moment. A client of protocol v1 that does not know it ignores it.
 *
 * @param retryAfterMs how long the client should wait before it logs in again, or null for no hint
 */
public record LoginRefusal(Result result, Long retryAfterMs) {

  public LoginRefusal {
    if (result.isOk()) {
      throw new IllegalArgumentException("a refusal cannot have code 0");
    }
    if (retryAfterMs != null && retryAfterMs < 0) {
      throw new IllegalArgumentException("retry_after must not be negative: " + retryAfterMs);
    }
  }

  public JsonObject toJson() {
    JsonObject json = result.toJson();
    if (retryAfterMs != null) {
      json.put("retry_after", retryAfterMs);
    }
    return json;
  }

  /**
   * Reads a LOGIN response whose code is not 0; throws when its code, {@code msg} or {@code
   * retry_after} (a non-negative integer when present) is malformed.
   */
  public static LoginRefusal fromJson(JsonObject json) throws MalformedBodyException {
    Result result = Result.fromJson(json);
    if (result.isOk()) {
      throw new MalformedBodyException("a refusal cannot have code 0");
    }
    if (json.getValue("retry_after") == null) {
      return new LoginRefusal(result, null);
    }
    long retryAfter = Fields.integer(json, "retry_after");
    if (retryAfter < 0) {
      throw new MalformedBodyException("retry_after must not be negative");
    }
    return new LoginRefusal(result, retryAfter);
  }
}
