package io.courier.protocol;

/**
 * A body that is not a UTF-8 JSON object of acceptable depth, or a field missing or mistyped: code
 * 400.
 */
public final class MalformedBodyException extends Exception {

  public MalformedBodyException(String message) {
    super(message, null, false, false);
  }
}
