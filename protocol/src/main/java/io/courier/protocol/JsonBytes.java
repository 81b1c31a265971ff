package io.courier.protocol;

import com.fasterxml.jackson.core.io.CharTypes;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.util.Arrays;

/**
 * Writes one flat JSON object of strings, integers and {@code true} as UTF-8, byte for byte as
 * Jackson's byte generator ({@code UTF8JsonGenerator}, with the defaults Vert.x writes with) writes
 * it: no whitespace; {@code "} and {@code \} and the control characters escaped from Jackson's own
 * escape table ({@code \n}, or {@code \\u00XX} in upper case); other characters as their UTF-8
 * bytes, except that each surrogate is written as its own {@code \\uXXXX} escape, as that generator
 * writes them (a character outside the BMP as two escapes, an unpaired one as one).
 *
 * <p>It writes into an array it is given, and into a larger copy when that one is full ({@link
 * #array()}): the caller keeps one array to write into and copies out what was written.
 *
 * @implNote The PUSH body is the one frame of the hot path (one per message and receiver). The
 *     generator it replaces cost, per frame, its creation, the buffer recycler's thread-local
 *     look-up, feature masks, an output stream, and the frame's buffer grown and copied as it
 *     wrote. Measuring the body first to write it into an array of its exact size was rejected: it
 *     read each string twice, and a node paid as much for that as for the generator. Only the calls
 *     a flat body needs are offered; any other body keeps the generator ({@link
 *     FrameEncoder#encode}).
 */
public final class JsonBytes {
  /**
   * Jackson's escapes of the ASCII characters: 0 none, a character its short escape, negative the
   * {@code \\u00XX} form.
   */
  private static final int[] ESCAPES = CharTypes.get7BitOutputEscapes();

  private static final byte[] HEX = CharTypes.copyHexBytes(true);

  private static final int UNICODE_ESCAPE_LENGTH = 6;

  /** The most bytes a character takes: its {@code \\u} escape. */
  private static final int MAX_CHAR_LENGTH = UNICODE_ESCAPE_LENGTH;

  /** The most bytes a {@code long} takes, with its sign. */
  private static final int MAX_DECIMAL_LENGTH = 20;

  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};

  private byte[] out;
  private final int offset;
  private int position;
  private boolean firstField;

  private JsonBytes(byte[] out, int offset) {
    this.out = out;
    this.offset = offset;
    this.position = offset;
  }

  /** A writer into {@code out} from {@code offset}, or into a larger copy once it is full. */
  public static JsonBytes into(byte[] out, int offset) {
    return new JsonBytes(out, offset);
  }

  /**
   * A field's name, quoted, escaped and followed by its colon once, when it is made: copied into
   * each body.
   */
  public static final class Name {
    private final String text;
    private final byte[] bytes;

    private Name(String text) {
      this.text = text;
      JsonBytes quoted = into(new byte[text.length() * MAX_CHAR_LENGTH + 3], 0);
      quoted.string(text);
      quoted.put(':');
      this.bytes = Arrays.copyOf(quoted.out, quoted.position);
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

  /** The array written into: the one given, or a larger copy of it. */
  public byte[] array() {
    return out;
  }

  /** Bytes written, from the offset. */
  public int length() {
    return position - offset;
  }

  public JsonBytes startObject() {
    room(1);
    put('{');
    firstField = true;
    return this;
  }

  public JsonBytes endObject() {
    room(1);
    put('}');
    return this;
  }

  /** {@code "name":"value"}. */
  public JsonBytes field(Name name, String value) {
    name(name, (long) value.length() * MAX_CHAR_LENGTH + 2);
    string(value);
    return this;
  }

  /** {@code "name":value}, a JSON number. */
  public JsonBytes field(Name name, long value) {
    name(name, MAX_DECIMAL_LENGTH);
    decimal(value);
    return this;
  }

  /** {@code "name":"value"}, the number as a string of its decimal digits. */
  public JsonBytes decimalString(Name name, long value) {
    name(name, MAX_DECIMAL_LENGTH + 2);
    put('"');
    decimal(value);
    put('"');
    return this;
  }

  /** {@code "name":true}. */
  public JsonBytes trueField(Name name) {
    name(name, TRUE.length);
    System.arraycopy(TRUE, 0, out, position, TRUE.length);
    position += TRUE.length;
    return this;
  }

  /** Writes the separator and {@code name}, with room after it for a value of {@code valueMax}. */
  private void name(Name name, long valueMax) {
    room(1 + name.bytes.length + valueMax);
    if (!firstField) {
      put(',');
    }
    firstField = false;
    System.arraycopy(name.bytes, 0, out, position, name.bytes.length);
    position += name.bytes.length;
  }

  /** Makes room for {@code bytes} more. */
  private void room(long bytes) {
    long needed = position + bytes;
    if (needed > out.length) {
      if (needed > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("a JSON body of more than 2 GiB");
      }
      out =
          Arrays.copyOf(
              out, (int) Math.max(needed, Math.min(2L * out.length, Integer.MAX_VALUE - 8)));
    }
  }

  /**
   * Writes {@code value} quoted and escaped.
   *
   * @implNote A run of characters written as they are is copied at once by {@link
   *     String#getBytes(int, int, byte[], int)}, deprecated because it keeps only the low byte of
   *     each character: for ASCII, that byte is its UTF-8.
   */
  @SuppressWarnings("deprecation")
  private void string(String value) {
    byte[] bytes = out;
    int at = position;
    bytes[at++] = '"';
    int length = value.length();
    int plainFrom = 0;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < 0x80 && ESCAPES[c] == 0) {
        continue;
      }
      value.getBytes(plainFrom, i, bytes, at);
      at += i - plainFrom;
      plainFrom = i + 1;
      if (c < 0x80) {
        int escape = ESCAPES[c];
        if (escape > 0) {
          bytes[at++] = '\\';
          bytes[at++] = (byte) escape;
        } else {
          at = unicodeEscape(bytes, at, c);
        }
      } else if (c < 0x800) {
        bytes[at++] = (byte) (0xC0 | (c >> 6));
        bytes[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        at = unicodeEscape(bytes, at, c);
      } else {
        bytes[at++] = (byte) (0xE0 | (c >> 12));
        bytes[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        bytes[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    value.getBytes(plainFrom, length, bytes, at);
    at += length - plainFrom;
    bytes[at++] = '"';
    position = at;
  }

  private static int unicodeEscape(byte[] bytes, int at, char c) {
    bytes[at] = '\\';
    bytes[at + 1] = 'u';
    bytes[at + 2] = HEX[c >> 12];
    bytes[at + 3] = HEX[(c >> 8) & 0xF];
    bytes[at + 4] = HEX[(c >> 4) & 0xF];
    bytes[at + 5] = HEX[c & 0xF];
    return at + UNICODE_ESCAPE_LENGTH;
  }

  /** Writes {@code value} in decimal with Jackson's own number writer, as its generator does. */
  private void decimal(long value) {
    position = NumberOutput.outputLong(value, out, position);
  }

  private void put(char c) {
    out[position++] = (byte) c;
  }
}
