package io.courier.contract;

import io.courier.protocol.Code;
import io.vertx.core.eventbus.ReplyException;

/**
 * The mapping of event-bus failures to protocol codes: no handler → 503, timeout → 504, a handler's
 * failure → its code.
 */
public final class Reply {

  private Reply() {}

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
