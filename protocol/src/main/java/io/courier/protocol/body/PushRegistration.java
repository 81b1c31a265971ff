package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * A device's registration for offline push (docs/protocol.md 9.12): the {@code push} object of a
 * LOGIN and the body of PUSH_REGISTER, {@code {provider, token, topic?}}. An empty {@code token}
 * removes the registration; then {@code provider} and {@code topic} are not read.
 *
 * <p>Tokens and topics are 1–{@value #MAX_TOKEN_CHARS} and 1–{@value #MAX_TOPIC_CHARS} printable
 * ASCII characters without space: every provider's tokens are (hex for APNs, base64url-like for FCM
 * and the vendors), and the limit keeps a stored registration small and a lookup key exact.
 *
 * @param provider null when the registration is removed
 * @param token the provider's device token; empty to remove the registration
 * @param topic the APNs topic (bundle id) or a webhook's channel name, or null for the node's
 *     default
 */
public record PushRegistration(PushProvider provider, String token, String topic) {
  public static final int MAX_TOKEN_CHARS = 512;
  public static final int MAX_TOPIC_CHARS = 255;

  /** The longest {@code device_id} a LOGIN may name; {@value} characters. */
  public static final int MAX_DEVICE_CHARS = 128;

  /** The device of a session whose LOGIN named none. */
  public static final String NO_DEVICE = "";

  private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]+");

  /** Reads {@code {provider, token, topic?}}; 400 naming the field when one is missing or bad. */
  public static PushRegistration fromJson(JsonObject body) throws MalformedBodyException {
    String token = Fields.string(body, "token");
    if (token.isEmpty()) {
      return new PushRegistration(null, "", null);
    }
    if (token.length() > MAX_TOKEN_CHARS || !PRINTABLE.matcher(token).matches()) {
      throw new MalformedBodyException(
          "token must be 1-" + MAX_TOKEN_CHARS + " printable ASCII characters without space");
    }
    PushProvider provider = PushProvider.fromWire(Fields.string(body, "provider"));
    if (provider == null) {
      throw new MalformedBodyException("provider must be apns, fcm or webhook");
    }
    Object topic = body.getValue("topic");
    if (topic != null
        && !(topic instanceof String text
            && text.length() <= MAX_TOPIC_CHARS
            && PRINTABLE.matcher(text).matches())) {
      throw new MalformedBodyException(
          "topic must be 1-" + MAX_TOPIC_CHARS + " printable ASCII characters without space");
    }
    return new PushRegistration(provider, token, (String) topic);
  }

  /**
   * The {@code push} object of a LOGIN body, or null when there is none (a JSON {@code null} is
   * none too); 400 when it is not an object or not a valid registration.
   */
  public static PushRegistration ofLogin(JsonObject login) throws MalformedBodyException {
    Object push = login.getValue("push");
    if (push == null) {
      return null;
    }
    if (!(push instanceof JsonObject object)) {
      throw new MalformedBodyException("push must be an object {provider, token, topic?}");
    }
    try {
      return fromJson(object);
    } catch (MalformedBodyException e) {
      throw new MalformedBodyException("push." + e.getMessage());
    }
  }

  /**
   * The device a LOGIN names with {@code device_id}: a string of 1–{@value #MAX_DEVICE_CHARS}
   * printable ASCII characters without space. Any other value was accepted and ignored before push
   * existed, and still is: it stands for {@link #NO_DEVICE}.
   */
  public static String deviceOf(JsonObject login) {
    return login.getValue("device_id") instanceof String device
            && device.length() <= MAX_DEVICE_CHARS
            && PRINTABLE.matcher(device).matches()
        ? device
        : NO_DEVICE;
  }

  /** Whether a LOGOUT body asks to remove the session's registration: {@code unregister: true}. */
  public static boolean unregisterAtLogout(JsonObject logout) {
    return Boolean.TRUE.equals(logout.getValue("unregister"));
  }

  /** Whether this removes the registration (an empty token). */
  public boolean removes() {
    return token.isEmpty();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("token", token);
    if (provider != null) {
      json.put("provider", provider.wire());
    }
    if (topic != null) {
      json.put("topic", topic);
    }
    return json;
  }
}
