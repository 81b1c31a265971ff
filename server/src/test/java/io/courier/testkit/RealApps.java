package io.courier.testkit;

import io.vertx.core.json.JsonObject;

/**
 * Apps whose secret is not a published one, for tests of listeners on other interfaces than
 * loopback: with the development apps a node refuses them (development mode, security.md).
 */
public final class RealApps {
  /** A secret of 32 bytes that Courier does not publish. */
  public static final String SECRET = "k7P2vQx9LmR4tW8zB3nF6hJ1cY5sD0gA";

  private RealApps() {}

  /** The {@code apps} of a configuration: appcode 101 with {@link #SECRET}. */
  public static JsonObject json() {
    return new JsonObject().put("101", new JsonObject().put("secret", SECRET));
  }
}
