package io.courier.push;

import io.vertx.core.json.JsonObject;
import java.security.PrivateKey;

/**
 * The fields of a Google service account key (the JSON a Firebase console downloads) that FCM's
 * HTTP v1 API needs.
 *
 * @param tokenUri where the OAuth assertion is exchanged for an access token
 */
record ServiceAccount(
    String projectId,
    String clientEmail,
    String privateKeyId,
    PrivateKey privateKey,
    String tokenUri) {

  /** Google's token endpoint, for a key file that names none. */
  static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";

  /**
   * Reads a service account key file's JSON.
   *
   * @throws IllegalArgumentException naming the field that is missing or bad
   */
  static ServiceAccount fromJson(JsonObject json) {
    return new ServiceAccount(
        required(json, "project_id"),
        required(json, "client_email"),
        json.getString("private_key_id"),
        Jwt.privateKey(required(json, "private_key"), "RSA"),
        json.getString("token_uri", DEFAULT_TOKEN_URI));
  }

  private static String required(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof String text) || text.isBlank()) {
      throw new IllegalArgumentException("the service account key has no " + field);
    }
    return text;
  }
}
