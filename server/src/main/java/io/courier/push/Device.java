package io.courier.push;

import io.courier.protocol.body.PushProvider;

/**
 * One registered device: the app of {@code (uid, appcode)} on {@code device} is woken through
 * {@code provider} with {@code token}.
 *
 * @param device the LOGIN's {@code device_id}, or {@code ""} when it named none
 * @param topic the APNs topic or the webhook's channel the app gave, or null
 * @param updated when it was registered, ms since the epoch
 */
public record Device(
    String uid,
    int appcode,
    String device,
    PushProvider provider,
    String token,
    String topic,
    long updated) {}
