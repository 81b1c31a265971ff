package io.courier.contract;

import io.courier.protocol.Code;

/**
 * A request refused with a protocol code and a reason for the client: 401 for a bad token, 403,
 * 413, 503 for an unavailable backend … Carries no stack trace: it is an answer, not a bug.
 */
public final class CourierException extends RuntimeException {
  private final Code code;

  public CourierException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  /** {@code failure}'s own code if it has one, else 500. */
  public static Code codeOf(Throwable failure) {
    return failure instanceof CourierException
        ? ((CourierException) failure).code()
        : Code.INTERNAL;
  }
}
