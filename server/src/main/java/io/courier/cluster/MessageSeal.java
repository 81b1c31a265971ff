package io.courier.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The seal a Courier node puts on a message to an internal address, and its check: a MAC under the
 * cluster secret that only the holders of the secret, the Courier nodes, can make.
 *
 * <pre>
 *  header courier-seal: 1.&lt;ts&gt;.&lt;mac&gt;
 *    ts   milliseconds since the epoch when sealed, in decimal
 *    mac  base64url, unpadded, of the first 16 bytes of
 *         HMAC-SHA256(secret, "courier-seal-1" 0 address 0 replyAddress 0 ts(8 bytes, big-endian)
 *                             bodyType body)
 *    body the body as the event bus carries it: a JSON object or array as its JSON text, bytes
 *         as they are, anything else as the UTF-8 of its text; bodyType one byte that says which
 * </pre>
 *
 * <p>A seal is good for {@value #MAX_SKEW_MS} ms either side of the checking node's clock, for that
 * one address, reply address and body. So a member that sees a sealed message (a consumer it
 * registered on an internal address gets some) cannot reuse the seal for another body, another
 * address, or to have the reply sent to itself; it can only send the same message again, to the
 * same address, within that window, and Courier's internal flows take a repeated message as a retry
 * (a C2C repeats its {@code cmid}, a push its {@code msgid}).
 *
 * @implNote Alternatives rejected: a nonce remembered by every node against replays, which costs a
 *     shared or per-node table on the hot path for little: the window already bounds a replay to an
 *     exact copy; a seal without the body (cheaper: no JSON encoding), which a member that receives
 *     one sealed message could put on any body of its choice for the window; the full 32 bytes of
 *     the MAC, where 16 (128 bits) are as far beyond forging and shorter on every message. The
 *     {@link Mac} is kept per thread: {@code Mac.getInstance} and {@code init} cost more than the
 *     MAC of a small message.
 */
final class MessageSeal {
  /** The header that carries the seal. */
  static final String HEADER = "courier-seal";

  /** How far a seal's time may be from the checking node's clock, either way. */
  static final long MAX_SKEW_MS = 30_000;

  private static final String VERSION = "1";
  private static final int MAC_BYTES = 16;
  private static final byte[] DOMAIN = "courier-seal-1".getBytes(StandardCharsets.UTF_8);
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /** The outcome of a check. */
  enum Verdict {
    VALID,
    /** No seal at all. */
    MISSING,
    /** Not a seal of this format. */
    MALFORMED,
    /** Sealed too long ago, or too far ahead. */
    STALE,
    /** Not made with the cluster secret for this message. */
    FORGED
  }

  private final ThreadLocal<Mac> macs;
  private final LongSupplier clock;

  /**
   * @param secret the cluster secret
   * @param clock milliseconds since the epoch
   */
  MessageSeal(String secret, LongSupplier clock) {
    SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
              }
            });
    this.clock = clock;
  }

  /**
   * The seal of a message to {@code address} with {@code replyAddress} (or null) and {@code body}.
   */
  String seal(String address, String replyAddress, Object body) {
    long ts = clock.getAsLong();
    return VERSION + "." + ts + "." + ENCODER.encodeToString(mac(address, replyAddress, ts, body));
  }

  /** Whether {@code seal} (null when absent) is good for the message. */
  Verdict verify(String address, String replyAddress, Object body, String seal) {
    if (seal == null) {
      return Verdict.MISSING;
    }
    int first = seal.indexOf('.');
    int second = seal.indexOf('.', first + 1);
    if (first < 0 || second < 0 || !seal.substring(0, first).equals(VERSION)) {
      return Verdict.MALFORMED;
    }
    long ts;
    byte[] given;
    try {
      ts = Long.parseLong(seal.substring(first + 1, second));
      given = DECODER.decode(seal.substring(second + 1));
    } catch (IllegalArgumentException e) {
      return Verdict.MALFORMED;
    }
    if (Math.abs(clock.getAsLong() - ts) > MAX_SKEW_MS) {
      return Verdict.STALE;
    }
    return MessageDigest.isEqual(given, mac(address, replyAddress, ts, body))
        ? Verdict.VALID
        : Verdict.FORGED;
  }

  private byte[] mac(String address, String replyAddress, long ts, Object body) {
    Mac mac = macs.get();
    mac.update(DOMAIN);
    mac.update((byte) 0);
    mac.update(address.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    if (replyAddress != null) {
      mac.update(replyAddress.getBytes(StandardCharsets.UTF_8));
    }
    mac.update((byte) 0);
    mac.update(ByteBuffer.allocate(Long.BYTES).putLong(0, ts));
    updateWithBody(mac, body);
    return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
  }

  /**
   * The body as the event bus carries it. A JSON body is MACed as its JSON text: the receiving node
   * decodes the text the sender's codec wrote, and encoding that again gives the same text.
   */
  private static void updateWithBody(Mac mac, Object body) {
    Buffer bytes;
    if (body == null) {
      mac.update((byte) 'n');
      return;
    } else if (body instanceof JsonObject object) {
      mac.update((byte) 'o');
      bytes = object.toBuffer();
    } else if (body instanceof JsonArray array) {
      mac.update((byte) 'a');
      bytes = array.toBuffer();
    } else if (body instanceof Buffer buffer) {
      mac.update((byte) 'b');
      bytes = buffer;
    } else if (body instanceof byte[] raw) {
      mac.update((byte) 'b');
      mac.update(raw);
      return;
    } else {
      mac.update((byte) 's');
      bytes = Buffer.buffer(body.toString());
    }
    mac.update(((BufferInternal) bytes).getByteBuf().nioBuffer());
  }
}
