package io.courier.protocol.body;

import java.util.function.IntPredicate;

/**
 * What a node accepts in a message beyond the protocol's syntax: the most UTF-8 bytes of {@code
 * content} (more is 413) and the appcodes a message may be sent to (others are 403: no one could
 * ever log in to read it).
 */
public record MessageLimits(int maxContentBytes, IntPredicate configuredAppcodes) {}
