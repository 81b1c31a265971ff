package io.courier.protocol;

/**
 * A body refused for what it holds, with the protocol code of the answer: 400 for a body that is
 * not a UTF-8 JSON object of acceptable depth, or a field missing, mistyped or out of range; 403 or
 * 413 for a well-formed value this node does not take (an appcode that is not configured, content
 * over the limit).
 */
public final class MalformedBodyException extends Exception {
  private final Code code;

  /** A 400. */
  public MalformedBodyException(String message) {
    this(Code.BAD_REQUEST, message);
  }

  public MalformedBodyException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
