package io.courier.routing;

import io.courier.store.C2sOutbox;

/**
 * What C2S routing needs of the C2S outbox: the outbox, its counters, the node's drainer to wake
 * once a message is stored, and the cap of waiting messages per sender (0: none).
 */
public record C2sOutboxLink(
    C2sOutbox outbox, C2sOutboxMeter meter, Runnable wakeDrainer, int maxPerSender) {}
