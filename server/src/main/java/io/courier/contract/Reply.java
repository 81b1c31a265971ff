package io.courier.contract;

import io.courier.protocol.Code;
import io.courier.protocol.body.Result;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/**
 * The mapping of event-bus failures to protocol codes: no handler → 503, timeout → 504, a handler's
 * failure → its code. {@link #ok()} and {@link #error} are the {@link Result} bodies as JSON, for
 * callers that still build answers as JSON objects (the gate).
 */
public final class Reply {

  private Reply() {}

  public static JsonObject ok() {
    return Result.ok().toJson();
  }

  public static JsonObject error(Code code, String msg) {
    return Result.error(code, msg).toJson();
  }

  /** The protocol code for a failed event-bus request. */
  public static Code codeOf(Throwable failure) {
    if (failure instanceof ReplyException) {
      ReplyException reply = (ReplyException) failure;
      switch (reply.failureType()) {
        case NO_HANDLERS:
          return Code.UNAVAILABLE;
        case TIMEOUT:
          return Code.TIMEOUT;
        case RECIPIENT_FAILURE:
          return Code.fromValue(reply.failureCode());
        default:
          return Code.INTERNAL;
      }
    }
    return Code.INTERNAL;
  }
}
