package io.courier.client.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The framing of Vert.x's TCP event-bus bridge (docs/event-bus.md, section 8.2), both directions:
 *
 * <pre>
 * +--------+--------+--------+--------+------------------------------------+
 * |   length of the body in bytes     |  body: UTF-8 JSON object with a    |
 * |   (uint32, big-endian)            |  "type" field                      |
 * +--------+--------+--------+--------+------------------------------------+
 * </pre>
 */
final class BridgeFrames {
  /** Largest frame accepted from the node; checked before the body is allocated. */
  static final int MAX_INBOUND_BYTES = 16 * 1024 * 1024;

  /** Header that carries the bridge secret (docs/event-bus.md, section 8.6). */
  static final String SECRET_HEADER = "courier-secret";

  private BridgeFrames() {}

  /**
   * A {@code send} frame: a request to {@code address} whose reply comes back addressed to {@code
   * replyAddress}. The event bus gives up after {@code timeoutMs} ({@code headers.timeout}); the
   * secret, when not null, goes in its header.
   */
  static JsonObject send(
      String address, String replyAddress, JsonObject body, String secret, long timeoutMs) {
    JsonObject headers = new JsonObject().put("timeout", timeoutMs);
    if (secret != null) {
      headers.put(SECRET_HEADER, secret);
    }
    return new JsonObject()
        .put("type", "send")
        .put("address", address)
        .put("replyAddress", replyAddress)
        .put("headers", headers)
        .put("body", body);
  }

  static void write(DataOutputStream out, JsonObject frame) throws IOException {
    byte[] body = frame.encode().getBytes(UTF_8);
    out.writeInt(body.length);
    out.write(body);
    out.flush();
  }

  /** The next frame; fails on a frame over the limit, a body that is not a JSON object, or EOF. */
  static JsonObject read(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_INBOUND_BYTES) {
      throw new IOException(
          "the bridge announced a frame of "
              + Integer.toUnsignedString(length)
              + " bytes, over the limit of "
              + MAX_INBOUND_BYTES);
    }
    byte[] body = new byte[length];
    in.readFully(body);
    try {
      return new JsonObject(new String(body, UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw new IOException("the bridge sent a frame that is not a JSON object", e);
    }
  }
}
