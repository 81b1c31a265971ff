package io.courier.protocol;

/**
 * A framing error after which the stream cannot be trusted: the gate answers ERROR {@code code}
 * with {@code seq} and closes.
 */
public record FrameViolation(Code code, long seq, String msg) {}
