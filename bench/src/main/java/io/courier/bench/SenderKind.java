package io.courier.bench;

/** How {@code bench s2c}'s business sender reaches {@code courier.s2c} ({@code --sender}). */
enum SenderKind {
  /** Raw frames over the node's TCP event-bus bridge, as a business in any language. */
  BRIDGE("bridge", "the bridge"),
  /** Event-bus requests from a member of the node's Hazelcast cluster, as a business JVM. */
  CLUSTER("cluster", "the clustered event bus");

  private final String optionValue;
  private final String description;

  SenderKind(String optionValue, String description) {
    this.optionValue = optionValue;
    this.description = description;
  }

  /** The value of {@code --sender}. */
  String optionValue() {
    return optionValue;
  }

  /** e.g. "the bridge", for the report. */
  String description() {
    return description;
  }

  /** The kind named {@code value}; IllegalArgumentException naming the choices otherwise. */
  static SenderKind of(String value) {
    for (SenderKind kind : values()) {
      if (kind.optionValue.equals(value)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("must be bridge or cluster, got '" + value + "'");
  }
}
