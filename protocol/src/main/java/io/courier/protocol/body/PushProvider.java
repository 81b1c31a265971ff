package io.courier.protocol.body;

import java.util.HashMap;
import java.util.Map;

/**
 * The services that wake an app that has no connection (docs/push.md), with their wire names in a
 * {@link PushRegistration}. Names are checked for duplicates when the class loads.
 */
public enum PushProvider {
  /** Apple Push Notification service, HTTP/2 with token authentication. */
  APNS("apns"),
  /** Firebase Cloud Messaging, HTTP v1 API. */
  FCM("fcm"),
  /** A business's HTTP endpoint that relays to a vendor channel (Xiaomi, Huawei …). */
  WEBHOOK("webhook");

  private static final Map<String, PushProvider> BY_WIRE = new HashMap<>();

  static {
    for (PushProvider provider : values()) {
      PushProvider previous = BY_WIRE.put(provider.wire, provider);
      if (previous != null) {
        throw new ExceptionInInitializerError(
            "duplicate provider name " + provider.wire + ": " + previous + ", " + provider);
      }
    }
  }

  private final String wire;

  PushProvider(String wire) {
    this.wire = wire;
  }

  /** The name on the wire and in the configuration. */
  public String wire() {
    return wire;
  }

  /** The provider named {@code wire}, or null. */
  public static PushProvider fromWire(String wire) {
    return BY_WIRE.get(wire);
  }
}
