package io.courier.protocol;

import com.fasterxml.jackson.core.io.CharTypes;
import java.nio.charset.StandardCharsets;

/**
 * Writes one flat JSON object of strings, integers and {@code true} as UTF-8, byte for byte as
 * Jackson's byte generator ({@code UTF8JsonGenerator}, with the defaults Vert.x writes with) writes
 * it: no whitespace; {@code "} and {@code \} and the control characters escaped from Jackson's own
 * escape table ({@code \n}, or {@code \\u00XX} in upper case); other characters as their UTF-8
 * bytes, except that each surrogate is written as its own {@code \\uXXXX} escape, as that generator
 * writes them (a character outside the BMP as two escapes, an unpaired one as one).
 *
 * <p>A body is written in two passes over the same calls: once {@link #measuring()}, which counts
 * the bytes, then {@link #into} an array of exactly that size.
 *
 * @implNote The PUSH body is the one frame of the hot path (one per message and receiver): a
 *     generator per frame cost more than the rest of the encoding (its creation, the buffer
 *     recycler's thread-local look-up, feature masks, an output stream per frame and the frame
 *     buffer grown and copied as it wrote). Only the calls a flat body needs are offered; any other
 *     body keeps the generator ({@link FrameEncoder#encode}).
 */
public final class JsonBytes {
  /**
   * Jackson's escapes of the ASCII characters: 0 none, a character its short escape, negative the
   * {@code \\u00XX} form.
   */
  private static final int[] ESCAPES = CharTypes.get7BitOutputEscapes();

  private static final byte[] HEX = CharTypes.copyHexBytes(true);

  /** Null while measuring. */
  private final byte[] out;

  private final int offset;
  private int position;
  private boolean firstField;

  private JsonBytes(byte[] out, int position) {
    this.out = out;
    this.offset = position;
    this.position = position;
  }

  /** A writer that writes nothing and counts the bytes ({@link #length()}). */
  public static JsonBytes measuring() {
    return new JsonBytes(null, 0);
  }

  /** A writer into {@code out} from {@code offset}, which must have room for what it writes. */
  public static JsonBytes into(byte[] out, int offset) {
    return new JsonBytes(out, offset);
  }

  /** Bytes written or counted so far. */
  public int length() {
    return position - offset;
  }

  public JsonBytes startObject() {
    put('{');
    firstField = true;
    return this;
  }

  public JsonBytes endObject() {
    put('}');
    return this;
  }

  /** {@code "name":"value"}. */
  public JsonBytes field(String name, String value) {
    name(name);
    string(value);
    return this;
  }

  /** {@code "name":value}, a JSON number. */
  public JsonBytes field(String name, long value) {
    name(name);
    decimal(value);
    return this;
  }

  /** {@code "name":"value"}, the number as a string of its decimal digits. */
  public JsonBytes decimalString(String name, long value) {
    name(name);
    put('"');
    decimal(value);
    put('"');
    return this;
  }

  /** {@code "name":true}. */
  public JsonBytes trueField(String name) {
    name(name);
    put('t');
    put('r');
    put('u');
    put('e');
    return this;
  }

  private void name(String name) {
    if (!firstField) {
      put(',');
    }
    firstField = false;
    string(name);
    put(':');
  }

  private void string(String value) {
    put('"');
    int length = value.length();
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        int escape = ESCAPES[c];
        if (escape == 0) {
          put(c);
        } else if (escape > 0) {
          put('\\');
          put(escape);
        } else {
          unicodeEscape(c);
        }
      } else if (c < 0x800) {
        put(0xC0 | (c >> 6));
        put(0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        unicodeEscape(c);
      } else {
        put(0xE0 | (c >> 12));
        put(0x80 | ((c >> 6) & 0x3F));
        put(0x80 | (c & 0x3F));
      }
    }
    put('"');
  }

  private void unicodeEscape(char c) {
    put('\\');
    put('u');
    put(HEX[c >> 12]);
    put(HEX[(c >> 8) & 0xF]);
    put(HEX[(c >> 4) & 0xF]);
    put(HEX[c & 0xF]);
  }

  private void decimal(long value) {
    if (value == Long.MIN_VALUE) {
      for (byte b : Long.toString(value).getBytes(StandardCharsets.US_ASCII)) {
        put(b);
      }
      return;
    }
    long rest = value;
    if (rest < 0) {
      put('-');
      rest = -rest;
    }
    int digits = digits(rest);
    if (out != null) {
      for (int i = position + digits - 1; i >= position; i--) {
        out[i] = (byte) ('0' + rest % 10);
        rest /= 10;
      }
    }
    position += digits;
  }

  /** Decimal digits of {@code value}, which is not negative. */
  private static int digits(long value) {
    int digits = 1;
    for (long limit = 10; digits < 19 && value >= limit; limit *= 10) {
      digits++;
    }
    return digits;
  }

  private void put(int b) {
    if (out != null) {
      out[position] = (byte) b;
    }
    position++;
  }
}
