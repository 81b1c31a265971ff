package io.courier.login;

import io.courier.protocol.Code;

/** A login refused with a protocol code (401 for any token problem, 503 when presence is unavailable). */
public final class LoginFailure extends RuntimeException {
  private final Code code;

  public LoginFailure(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
