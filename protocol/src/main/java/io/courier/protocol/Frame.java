package io.courier.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * One decoded frame: the header fields that matter after validation, and the raw body.
 *
 * <p>The body stays raw so that the receiver decides, after checking the command and the
 * connection's state, whether and how to parse it (a bad body gets the command's response with 400,
 * not a close).
 *
 * @param cmd the wire cmd, a request code or {@code code | 0x8000} for a response
 * @param seq the unsigned 32-bit sequence number
 * @param body the body bytes, empty when the header announced no body
 */
public record Frame(int cmd, long seq, Buffer body) {

  /** True when this is a response frame ({@code cmd & 0x8000}). */
  public boolean isResponse() {
    return (cmd & Command.RESPONSE_BIT) != 0;
  }
}
