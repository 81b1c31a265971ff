package io.courier.bridge;

import java.util.HashMap;
import java.util.Map;

/**
 * The rule that refused a business's frame, named in the {@code rule} field of the guard's {@code
 * err} frame (docs/event-bus.md section 8.10) and in the {@code rule} tag of {@code
 * courier_bridge_refused_total}. Wire names are checked for duplicates when the class loads.
 */
enum Rule {
  /** No secret, or one of no business, or of another business than the connection's. */
  CREDENTIALS("credentials"),
  /** Outside the business API of every business (docs/event-bus.md section 8.5), a publish too. */
  API("api"),
  /** A reply to an address that is not the reply address of a message this connection received. */
  REPLY("reply"),
  /** Not among the business's {@code send} patterns. */
  SEND("send"),
  /** Not among the business's {@code register} patterns. */
  REGISTER("register"),
  /** An appcode the business does not own. */
  APPCODES("appcodes"),
  /** {@code bridge.maxRegistrations} reached. */
  MAX_REGISTRATIONS("max_registrations"),
  /** No frame for {@code bridge.idleSeconds}. */
  IDLE("idle");

  private static final Map<String, Rule> BY_WIRE = new HashMap<>();

  static {
    for (Rule rule : values()) {
      Rule previous = BY_WIRE.put(rule.wire, rule);
      if (previous != null) {
        throw new ExceptionInInitializerError(
            "duplicate rule " + rule.wire + ": " + previous + ", " + rule);
      }
    }
  }

  private final String wire;

  Rule(String wire) {
    this.wire = wire;
  }

  /** The err frame's {@code rule}. */
  String wire() {
    return wire;
  }
}
