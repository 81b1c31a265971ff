package io.courier.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configured appcodes (terminal + user system) and the HS256 secret that signs each one's
 * tokens.
 */
public final class Apps {
  /**
   * The secret of the built-in development apps, published here and in the documents: a node that
   * uses it listens on loopback only ({@link DevelopmentMode}). The one place that names it.
   */
  public static final String DEV_SECRET = "courier-development-secret-not-for-production";

  private final Map<Integer, String> secrets;

  public Apps(Map<Integer, String> secrets) {
    this.secrets = Collections.unmodifiableMap(new TreeMap<>(secrets));
  }

  /** 101, 102, 103 (user app: Android, iOS, web), 201 (driver app), 301 (support console). */
  public static Apps development() {
    Map<Integer, String> secrets = new TreeMap<>();
    for (int appcode : new int[] {101, 102, 103, 201, 301}) {
      secrets.put(appcode, DEV_SECRET);
    }
    return new Apps(secrets);
  }

  public String secret(int appcode) {
    return secrets.get(appcode);
  }

  public boolean contains(int appcode) {
    return secrets.containsKey(appcode);
  }

  /** appcode → secret, ordered by appcode. */
  public Map<Integer, String> secrets() {
    return secrets;
  }

  /** The appcodes whose secret is published ({@link Secrets#published}), in ascending order. */
  public List<Integer> withPublishedSecret() {
    return secrets.entrySet().stream()
        .filter(e -> Secrets.published(e.getValue()))
        .map(Map.Entry::getKey)
        .toList();
  }
}
