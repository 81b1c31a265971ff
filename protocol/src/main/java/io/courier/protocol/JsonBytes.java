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

  private static final int UNICODE_ESCAPE_LENGTH = 6;

  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};

  /** Strings whose plainness is remembered: those of a PUSH body, and more. */
  private static final int REMEMBERED_STRINGS = Long.SIZE;

  /** Null while measuring. */
  private final byte[] out;

  private final int offset;
  private int position;
  private boolean firstField;

  /**
   * Bit {@code i}: the {@code i}-th string value is plain ASCII, written as it is (found while
   * measuring, used while writing).
   */
  private long plainStrings;

  private int strings;

  private JsonBytes(byte[] out, int position, long plainStrings) {
    this.out = out;
    this.offset = position;
    this.position = position;
    this.plainStrings = plainStrings;
  }

  /** A writer that writes nothing and counts the bytes ({@link #length()}). */
  public static JsonBytes measuring() {
    return new JsonBytes(null, 0, 0);
  }

  /** A writer into {@code out} from {@code offset}, which must have room for what it writes. */
  public static JsonBytes into(byte[] out, int offset) {
    return new JsonBytes(out, offset, 0);
  }

  /**
   * A writer into {@code out} from {@code offset} of the same calls as {@code measured} counted,
   * which copies the strings {@code measured} found plain instead of looking at each character
   * again.
   */
  public static JsonBytes into(byte[] out, int offset, JsonBytes measured) {
    return new JsonBytes(out, offset, measured.plainStrings);
  }

  /**
   * A field's name, quoted, escaped and followed by its colon once, when it is made: written by
   * copying, and not measured again for each body.
   */
  public static final class Name {
    private final String text;
    private final byte[] bytes;

    private Name(String text) {
      this.text = text;
      this.bytes = new byte[quotedLength(text) + 1];
      bytes[writeQuoted(bytes, 0, text)] = ':';
    }

    /** The name itself. */
    public String text() {
      return text;
    }
  }

  /** The field name {@code text}, to keep as a constant. */
  public static Name name(String text) {
    return new Name(text);
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
  public JsonBytes field(Name name, String value) {
    name(name);
    string(value);
    return this;
  }

  /** {@code "name":value}, a JSON number. */
  public JsonBytes field(Name name, long value) {
    name(name);
    decimal(value);
    return this;
  }

  /** {@code "name":"value"}, the number as a string of its decimal digits. */
  public JsonBytes decimalString(Name name, long value) {
    name(name);
    put('"');
    decimal(value);
    put('"');
    return this;
  }

  /** {@code "name":true}. */
  public JsonBytes trueField(Name name) {
    name(name);
    if (out != null) {
      System.arraycopy(TRUE, 0, out, position, TRUE.length);
    }
    position += TRUE.length;
    return this;
  }

  private void name(Name name) {
    if (!firstField) {
      put(',');
    }
    firstField = false;
    if (out != null) {
      System.arraycopy(name.bytes, 0, out, position, name.bytes.length);
    }
    position += name.bytes.length;
  }

  @SuppressWarnings("deprecation")
  private void string(String value) {
    int index = strings++;
    if (out == null) {
      int quoted = quotedLength(value);
      if (quoted == value.length() + 2 && index < REMEMBERED_STRINGS) {
        plainStrings |= 1L << index;
      }
      position += quoted;
    } else if (index < REMEMBERED_STRINGS && (plainStrings & (1L << index)) != 0) {
      // plain ASCII: its chars' low bytes are its UTF-8 (see writeQuoted)
      int length = value.length();
      out[position] = '"';
      value.getBytes(0, length, out, position + 1);
      out[position + length + 1] = '"';
      position += length + 2;
    } else {
      position = writeQuoted(out, position, value);
    }
  }

  /** The bytes of {@code value} quoted and escaped. */
  private static int quotedLength(String value) {
    int length = value.length();
    int bytes = length + 2;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        int escape = ESCAPES[c];
        if (escape != 0) {
          bytes += escape > 0 ? 1 : UNICODE_ESCAPE_LENGTH - 1;
        }
      } else if (c < 0x800) {
        bytes += 1;
      } else if (Character.isSurrogate(c)) {
        bytes += UNICODE_ESCAPE_LENGTH - 1;
      } else {
        bytes += 2;
      }
    }
    return bytes;
  }

  /**
   * Writes {@code value} quoted and escaped at {@code at}; returns the position after it.
   *
   * @implNote A run of characters written as they are is copied at once by {@link
   *     String#getBytes(int, int, byte[], int)}, deprecated because it keeps only the low byte of
   *     each character: for ASCII, that byte is its UTF-8.
   */
  @SuppressWarnings("deprecation")
  private static int writeQuoted(byte[] out, int at, String value) {
    int position = at;
    out[position++] = '"';
    int length = value.length();
    int plainFrom = 0;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < 0x80 && ESCAPES[c] == 0) {
        continue;
      }
      value.getBytes(plainFrom, i, out, position);
      position += i - plainFrom;
      plainFrom = i + 1;
      if (c < 0x80) {
        int escape = ESCAPES[c];
        if (escape > 0) {
          out[position++] = '\\';
          out[position++] = (byte) escape;
        } else {
          position = writeUnicodeEscape(out, position, c);
        }
      } else if (c < 0x800) {
        out[position++] = (byte) (0xC0 | (c >> 6));
        out[position++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        position = writeUnicodeEscape(out, position, c);
      } else {
        out[position++] = (byte) (0xE0 | (c >> 12));
        out[position++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[position++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    value.getBytes(plainFrom, length, out, position);
    position += length - plainFrom;
    out[position++] = '"';
    return position;
  }

  private static int writeUnicodeEscape(byte[] out, int at, char c) {
    out[at] = '\\';
    out[at + 1] = 'u';
    out[at + 2] = HEX[c >> 12];
    out[at + 3] = HEX[(c >> 8) & 0xF];
    out[at + 4] = HEX[(c >> 4) & 0xF];
    out[at + 5] = HEX[c & 0xF];
    return at + UNICODE_ESCAPE_LENGTH;
  }

  private void decimal(long value) {
    if (value == Long.MIN_VALUE) {
      byte[] digits = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
      if (out != null) {
        System.arraycopy(digits, 0, out, position, digits.length);
      }
      position += digits.length;
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

  private void put(char c) {
    if (out != null) {
      out[position] = (byte) c;
    }
    position++;
  }
}
