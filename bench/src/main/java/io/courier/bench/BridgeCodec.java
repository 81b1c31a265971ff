package io.courier.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench's side of the TCP bridge framing: each frame is a 4-byte big-endian length, then a
 * UTF-8 JSON object.
 *
 * <pre>
 * +--------+--------+--------+--------+----------------------------------+
 * |   length of the body (uint32, BE)  |  body: {"type": ..., ...}        |
 * +--------+--------+--------+--------+----------------------------------+
 * </pre>
 *
 * <p>Encoding and decoding are the bench's own per-message cost, taken from the node it shares the
 * machine with, so both have a direct path for the JSON the bench and the bridge exchange —
 * objects, arrays, ASCII strings without escapes, integers, booleans and null — and hand anything
 * else (escapes, non-ASCII, fractions, exponents) to Jackson, which also reports malformed input.
 * The result is the same JSON either way; {@code BridgeCodecTest} checks the direct path against
 * Jackson.
 *
 * <p>An instance keeps a scratch array for encoding: confine it to one thread (a connection's
 * context).
 */
final class BridgeCodec {
  private static final byte[] SEND_TYPE = ascii("{\"type\":\"send\",\"address\":");
  private static final byte[] REPLY_ADDRESS = ascii(",\"replyAddress\":");
  private static final byte[] BODY = ascii(",\"body\":");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  private static final byte[] NULL = ascii("null");

  /** Digits of a long, with sign: Long.MIN_VALUE has 20 characters. */
  private static final int MAX_LONG_CHARS = 20;

  private byte[] out = new byte[512];
  private int length;

  /** A {@code send} frame: {@code {"type":"send","address":..,"replyAddress":..,"body":..}}. */
  Buffer send(String address, String replyAddress, JsonObject body) {
    length = 4;
    append(SEND_TYPE);
    if (string(address)) {
      append(REPLY_ADDRESS);
      if (string(replyAddress)) {
        append(BODY);
        if (value(body)) {
          appendByte('}');
          return frame();
        }
      }
    }
    return jackson(
        new JsonObject()
            .put("type", "send")
            .put("address", address)
            .put("replyAddress", replyAddress)
            .put("body", body));
  }

  /** Any frame. */
  Buffer frame(JsonObject json) {
    length = 4;
    return value(json) ? frame() : jackson(json);
  }

  /**
   * The JSON object in {@code bytes[start..end)}.
   *
   * @throws DecodeException when it is not a JSON object
   */
  static JsonObject parse(byte[] bytes, int start, int end) {
    Object parsed = new Reader(bytes, start, end).document();
    if (parsed instanceof JsonObject) {
      return (JsonObject) parsed;
    }
    return new JsonObject(Buffer.buffer().appendBytes(bytes, start, end - start));
  }

  private Buffer frame() {
    int body = length - 4;
    out[0] = (byte) (body >>> 24);
    out[1] = (byte) (body >>> 16);
    out[2] = (byte) (body >>> 8);
    out[3] = (byte) body;
    return Buffer.buffer(length).appendBytes(out, 0, length);
  }

  private static Buffer jackson(JsonObject json) {
    Buffer body = json.toBuffer();
    return Buffer.buffer(4 + body.length()).appendInt(body.length()).appendBuffer(body);
  }

  /** Appends {@code value} as JSON; false (and nothing usable written) when it needs Jackson. */
  private boolean value(Object value) {
    if (value instanceof String) {
      return string((String) value);
    }
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      integer(((Number) value).longValue());
      return true;
    }
    if (value instanceof JsonObject) {
      return object(((JsonObject) value).getMap());
    }
    if (value instanceof Map) {
      return object((Map<?, ?>) value);
    }
    if (value instanceof JsonArray) {
      return array(((JsonArray) value).getList());
    }
    if (value instanceof List) {
      return array((List<?>) value);
    }
    if (value instanceof Boolean) {
      append((Boolean) value ? TRUE : FALSE);
      return true;
    }
    if (value == null) {
      append(NULL);
      return true;
    }
    return false;
  }

  private boolean object(Map<?, ?> map) {
    appendByte('{');
    boolean first = true;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!first) {
        appendByte(',');
      }
      first = false;
      if (!(entry.getKey() instanceof String) || !string((String) entry.getKey())) {
        return false;
      }
      appendByte(':');
      if (!value(entry.getValue())) {
        return false;
      }
    }
    appendByte('}');
    return true;
  }

  private boolean array(List<?> list) {
    appendByte('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        appendByte(',');
      }
      if (!value(list.get(i))) {
        return false;
      }
    }
    appendByte(']');
    return true;
  }

  /** A string of printable ASCII without {@code "} or {@code \}; false for anything else. */
  private boolean string(String s) {
    int n = s.length();
    ensure(n + 2);
    out[length++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        return false;
      }
      out[length++] = (byte) c;
    }
    out[length++] = '"';
    return true;
  }

  private void integer(long value) {
    ensure(MAX_LONG_CHARS);
    if (value == Long.MIN_VALUE) {
      append(ascii(Long.toString(value)));
      return;
    }
    if (value < 0) {
      out[length++] = '-';
      value = -value;
    }
    int digits = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      digits++;
    }
    for (int i = length + digits - 1; i >= length; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    length += digits;
  }

  private void append(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, out, length, bytes.length);
    length += bytes.length;
  }

  private void appendByte(char c) {
    ensure(1);
    out[length++] = (byte) c;
  }

  private void ensure(int more) {
    if (length + more > out.length) {
      out = java.util.Arrays.copyOf(out, Math.max(2 * out.length, length + more));
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Reads the direct-path subset of JSON; returns {@link #JACKSON} from {@link #document()} for
   * anything else, so that Jackson reads it (or refuses it) instead.
   */
  private static final class Reader {
    /** Not in the subset (or not JSON): Jackson decides. */
    private static final Object JACKSON = new Object();

    private static final int MAX_DEPTH = 64;
    private static final int MAX_INTEGER_DIGITS = 18;

    private final byte[] b;
    private final int end;
    private int pos;
    private int depth;

    Reader(byte[] b, int start, int end) {
      this.b = b;
      this.pos = start;
      this.end = end;
    }

    Object document() {
      Object value = value();
      skipSpace();
      return pos == end ? value : JACKSON;
    }

    private Object value() {
      skipSpace();
      if (pos >= end) {
        return JACKSON;
      }
      byte c = b[pos];
      if (c == '{') {
        return object();
      }
      if (c == '"') {
        return string();
      }
      if (c == '-' || c >= '0' && c <= '9') {
        return number();
      }
      if (c == '[') {
        return array();
      }
      if (literal(TRUE)) {
        return Boolean.TRUE;
      }
      if (literal(FALSE)) {
        return Boolean.FALSE;
      }
      if (literal(NULL)) {
        return null;
      }
      return JACKSON;
    }

    private Object object() {
      if (++depth > MAX_DEPTH) {
        return JACKSON;
      }
      pos++;
      Map<String, Object> map = new LinkedHashMap<>();
      skipSpace();
      if (pos < end && b[pos] == '}') {
        pos++;
        depth--;
        return new JsonObject(map);
      }
      while (true) {
        skipSpace();
        if (pos >= end || b[pos] != '"') {
          return JACKSON;
        }
        Object key = string();
        skipSpace();
        if (key == JACKSON || pos >= end || b[pos] != ':') {
          return JACKSON;
        }
        pos++;
        Object value = value();
        if (value == JACKSON) {
          return JACKSON;
        }
        map.put((String) key, value);
        skipSpace();
        if (pos >= end) {
          return JACKSON;
        }
        if (b[pos] == ',') {
          pos++;
        } else if (b[pos] == '}') {
          pos++;
          depth--;
          return new JsonObject(map);
        } else {
          return JACKSON;
        }
      }
    }

    private Object array() {
      if (++depth > MAX_DEPTH) {
        return JACKSON;
      }
      pos++;
      List<Object> list = new ArrayList<>();
      skipSpace();
      if (pos < end && b[pos] == ']') {
        pos++;
        depth--;
        return new JsonArray(list);
      }
      while (true) {
        Object value = value();
        if (value == JACKSON) {
          return JACKSON;
        }
        list.add(value);
        skipSpace();
        if (pos >= end) {
          return JACKSON;
        }
        if (b[pos] == ',') {
          pos++;
        } else if (b[pos] == ']') {
          pos++;
          depth--;
          return new JsonArray(list);
        } else {
          return JACKSON;
        }
      }
    }

    /** At the opening quote; printable ASCII without escapes only. */
    private Object string() {
      int start = ++pos;
      while (pos < end) {
        byte c = b[pos];
        if (c == '"') {
          String s = new String(b, start, pos - start, StandardCharsets.ISO_8859_1);
          pos++;
          return s;
        }
        if (c < 0x20 || c == '\\') {
          return JACKSON;
        }
        pos++;
      }
      return JACKSON;
    }

    /**
     * Integers as Jackson gives them: Integer when they fit, else Long; fractions and exponents:
     * Jackson.
     */
    private Object number() {
      int start = pos;
      boolean negative = b[pos] == '-';
      if (negative) {
        pos++;
      }
      int digitsStart = pos;
      long value = 0;
      while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
        value = 10 * value + (b[pos] - '0');
        pos++;
      }
      int digits = pos - digitsStart;
      if (digits == 0
          || digits > MAX_INTEGER_DIGITS
          || digits > 1 && b[digitsStart] == '0'
          || pos < end && (b[pos] == '.' || b[pos] == 'e' || b[pos] == 'E')) {
        pos = start;
        return JACKSON;
      }
      value = negative ? -value : value;
      return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE
          ? (Object) (int) value
          : (Object) value;
    }

    private boolean literal(byte[] word) {
      if (end - pos < word.length) {
        return false;
      }
      for (int i = 0; i < word.length; i++) {
        if (b[pos + i] != word[i]) {
          return false;
        }
      }
      pos += word.length;
      return true;
    }

    private void skipSpace() {
      while (pos < end && (b[pos] == ' ' || b[pos] == '\n' || b[pos] == '\r' || b[pos] == '\t')) {
        pos++;
      }
    }
  }
}
