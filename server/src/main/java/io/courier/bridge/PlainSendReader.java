package io.courier.bridge;

import static io.courier.bridge.PlainSend.ADDRESS;
import static io.courier.bridge.PlainSend.BODY;
import static io.courier.bridge.PlainSend.FAILURE_CODE;
import static io.courier.bridge.PlainSend.HEADERS;
import static io.courier.bridge.PlainSend.MESSAGE;
import static io.courier.bridge.PlainSend.REPLY_ADDRESS;
import static io.courier.bridge.PlainSend.TYPE;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads a plain send frame ({@link PlainSend}) straight from its bytes, for the JSON that business
 * clients write, and is unsure of everything else: {@link PlainSend#scan} then asks the parser,
 * whose answer ({@link PlainSend#parse}) is the contract. The guard's pass over every frame was the
 * largest single cost left in the node: a Jackson parser over an {@code InputStream}, its buffers
 * and symbol table, and a token and a type switch for every value; this reader goes over the bytes
 * once, eight at a time in strings, and builds only the result.
 *
 * <p>What it reads it reads exactly as the parser's pass would, to the same {@link PlainSend.Plain}
 * (the same cut range, headers, and tree with the same value types), and it takes only what that
 * pass takes; so it is unsure (and the parser decides) of anything outside a strict subset of JSON
 * on which Jackson, as Vert.x configures it, and this reader cannot differ:
 *
 * <ul>
 *   <li>whitespace is space, tab, line feed and carriage return only (no comments, which Vert.x's
 *       parser allows), and nothing but whitespace follows the frame's object;
 *   <li>strings hold no control character, their escapes are JSON's own, and their UTF-8 is well
 *       formed (shortest form, no encoded surrogate, nothing above U+10FFFF), where Jackson's own
 *       decoder is lenient; escapes may give a surrogate, but a string or name with an unpaired one
 *       is left to the full check, as the parser's pass leaves it;
 *   <li>numbers follow JSON's grammar; integers of up to {@value #MAX_INTEGER_DIGITS} digits are
 *       read as Jackson reads them (an {@link Integer} when they fit, else a {@link Long}), longer
 *       ones (a {@code BigInteger}, or a long near its bounds) are left to it; a fraction or an
 *       exponent is a {@link Double} from {@link Double#parseDouble}, as Jackson's is;
 *   <li>nesting stops at {@value #MAX_DEPTH}, numbers at {@value #MAX_NUMBER_CHARS} characters, and
 *       the frame below the parser's own limits on documents, tokens, strings and names, so that
 *       none of them can refuse what this reader takes; if Vert.x's parser was configured below the
 *       first two, the reader takes nothing;
 *   <li>the frame's own field names are plain ASCII; and whatever the parser's pass refuses (a
 *       field it does not know, a duplicate name, a header of the wrong type, a body naming {@code
 *       to_appcode} twice) leaves this reader unsure as well, rather than answering for it.
 * </ul>
 *
 * <p>Not sure is an exception ({@link Unsure}, one instance without a stack trace), so that each
 * step of the reader reads as the grammar it checks; it is thrown only for frames the parser
 * decides.
 */
final class PlainSendReader {
  /** The frame's field names, as bytes, at the index of their bit. */
  private static final byte[][] FIELDS = {
    ascii("type"),
    ascii("address"),
    ascii("replyAddress"),
    ascii("message"),
    ascii("failureCode"),
    ascii("headers"),
    ascii("body")
  };

  /** The deepest nesting read, the frame's object being 1. */
  static final int MAX_DEPTH = 32;

  /** The longest number read, in characters, sign and exponent included. */
  static final int MAX_NUMBER_CHARS = 32;

  /** The most digits of an integer read: it cannot overflow a long. */
  static final int MAX_INTEGER_DIGITS = 18;

  /** The longest frame read, in bytes; -1 when Vert.x's parser is configured below the reader. */
  static final long MAX_FRAME = maxFrame(constraints());

  private static final Unsure UNSURE = new Unsure();

  /** Eight bytes of a frame at once, the first in the lowest bits. */
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  private final byte[] b;
  private final int end;
  private int pos;
  private int depth;

  private String secret;
  private int cutStart = -1;
  private int cutEnd = -1;
  private Map<String, Object> headers = Map.of();
  private boolean appcodeSeen;
  private Integer toAppcode;

  private PlainSendReader(byte[] bytes) {
    this.b = bytes;
    this.end = bytes.length;
  }

  /**
   * What the plain send frame {@code body} is, as {@link PlainSend#scan} answers; or null when the
   * reader is not sure: it is not one, or it may be one the reader does not read.
   */
  static PlainSend.Plain read(Buffer body, Predicate<String> treeFor) {
    if (body.length() > MAX_FRAME) {
      return null;
    }
    try {
      return new PlainSendReader(body.getBytes()).frame(treeFor);
    } catch (Unsure e) {
      return null;
    }
  }

  private PlainSend.Plain frame(Predicate<String> treeFor) {
    skipSpace();
    open('{');
    int seen = 0;
    boolean send = false;
    String address = null;
    String replyAddress = null;
    String message = null;
    Integer failureCode = null;
    JsonObject tree = null;
    if (!close('}')) {
      do {
        skipSpace();
        int field = field();
        if ((seen & field) != 0) {
          throw UNSURE;
        }
        seen |= field;
        colon();
        switch (field) {
          case TYPE:
            send = FrameType.SEND.wire().equals(text());
            break;
          case ADDRESS:
            address = text();
            break;
          case REPLY_ADDRESS:
            replyAddress = text();
            break;
          case MESSAGE:
            message = text();
            break;
          case FAILURE_CODE:
            failureCode = integer();
            break;
          case HEADERS:
            headers();
            break;
          case BODY:
            tree = body(address, treeFor);
            break;
          default:
            throw new AssertionError(field);
        }
        skipSpace();
      } while (comma());
      end('}');
    }
    skipSpace();
    if (pos != end || !send || address == null || address.isEmpty()) {
      throw UNSURE;
    }
    return new PlainSend.Plain(
        address,
        secret,
        cutStart,
        cutEnd,
        toAppcode,
        replyAddress,
        headers,
        tree,
        failureCode,
        message);
  }

  /** At a name of the frame: the bit of that field, after its closing quote. */
  private int field() {
    expect('"');
    int start = pos + 1;
    int close = plainRun(start);
    if (close == end || b[close] != '"') {
      throw UNSURE;
    }
    pos = close + 1;
    int length = close - start;
    for (int i = 0; i < FIELDS.length; i++) {
      if (FIELDS[i].length == length && named(FIELDS[i], start)) {
        return 1 << i;
      }
    }
    throw UNSURE;
  }

  /** Whether the bytes at {@code start} are {@code name}'s. */
  private boolean named(byte[] name, int start) {
    for (int i = 0; i < name.length; i++) {
      if (b[start + i] != name[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The headers object: its secret and the range that removes its member, as {@link PlainSend}
   * describes it, and the others, each the type the parser's pass gives it.
   */
  private void headers() {
    open('{');
    if (close('}')) {
      return;
    }
    int previousEnd = -1;
    do {
      skipSpace();
      int nameStart = pos;
      String name = text();
      if (cutStart >= 0 && cutEnd < 0) {
        cutEnd = nameStart;
      }
      colon();
      switch (name) {
        case FrameCheck.SECRET_HEADER:
          if (secret != null) {
            throw UNSURE;
          }
          secret = text();
          if (previousEnd >= 0) {
            cutStart = previousEnd;
            cutEnd = pos;
          } else {
            cutStart = nameStart;
          }
          break;
        case "timeout":
          keep(name, timeout());
          break;
        case "localOnly":
          keep(name, bool());
          break;
        case "codecName":
          throw UNSURE;
        default:
          keep(name, text());
      }
      previousEnd = pos;
      skipSpace();
    } while (comma());
    end('}');
    if (cutStart >= 0 && cutEnd < 0) {
      cutEnd = previousEnd;
    }
  }

  private void keep(String name, Object value) {
    if (headers.isEmpty()) {
      headers = new LinkedHashMap<>();
    } else if (headers.containsKey(name)) {
      throw UNSURE;
    }
    headers.put(name, value);
  }

  /**
   * The body, any JSON value, with its top-level {@code to_appcode} noted; as a tree when it is an
   * object and {@code treeFor} accepts the {@code address} that came before it, else null.
   */
  private JsonObject body(String address, Predicate<String> treeFor) {
    if (peek() != '{') {
      value(false);
      return null;
    }
    boolean tree = address != null && treeFor.test(address);
    open('{');
    Map<String, Object> object = tree ? new LinkedHashMap<>() : null;
    if (!close('}')) {
      do {
        skipSpace();
        String name = text();
        colon();
        Object value = value(tree);
        if (name.equals("to_appcode")) {
          if (appcodeSeen) {
            throw UNSURE;
          }
          appcodeSeen = true;
          toAppcode = value instanceof Integer appcode ? appcode : null;
        }
        if (tree) {
          object.put(name, value);
        }
        skipSpace();
      } while (comma());
      end('}');
    }
    return tree ? new JsonObject(object) : null;
  }

  /**
   * The value here as Vert.x decodes it; when not {@code keep}, it is checked as thoroughly but
   * strings, objects and arrays come out null (numbers and booleans still come out).
   */
  private Object value(boolean keep) {
    byte c = peek();
    switch (c) {
      case '{':
        return object(keep);
      case '[':
        return array(keep);
      case '"':
        return string(keep);
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        return number();
    }
  }

  private Map<String, Object> object(boolean keep) {
    open('{');
    Map<String, Object> object = keep ? new LinkedHashMap<>() : null;
    if (close('}')) {
      return object;
    }
    do {
      skipSpace();
      String name = string(keep);
      colon();
      Object value = value(keep);
      if (keep) {
        object.put(name, value);
      }
      skipSpace();
    } while (comma());
    end('}');
    return object;
  }

  private List<Object> array(boolean keep) {
    open('[');
    List<Object> array = keep ? new ArrayList<>() : null;
    if (close(']')) {
      return array;
    }
    do {
      skipSpace();
      Object value = value(keep);
      if (keep) {
        array.add(value);
      }
      skipSpace();
    } while (comma());
    end(']');
    return array;
  }

  /** A string that must be here. */
  private String text() {
    return string(true);
  }

  /**
   * At an opening quote: the string, after its closing quote; null when not {@code keep}, unless it
   * had escapes (then it was built to be checked).
   */
  private String string(boolean keep) {
    expect('"');
    int start = pos + 1;
    int stop = plainRun(start);
    if (stop < end && b[stop] == '"') {
      pos = stop + 1;
      return keep ? new String(b, start, stop - start, StandardCharsets.ISO_8859_1) : null;
    }
    pos = stop;
    while (true) {
      byte c = peek();
      if (c == '"') {
        pos++;
        return keep ? new String(b, start, pos - 1 - start, StandardCharsets.UTF_8) : null;
      }
      if (c == '\\') {
        return escaped(start);
      }
      if (c < 0) {
        utf8();
      } else if (c < 0x20) {
        throw UNSURE;
      } else {
        pos++;
      }
    }
  }

  /**
   * The index of the first quote, backslash, control character or non-ASCII byte from {@code from},
   * or the end: eight bytes at a time, as most strings are printable ASCII only.
   */
  private int plainRun(int from) {
    int i = from;
    while (i <= end - Long.BYTES) {
      long flags = specials((long) LONGS.get(b, i));
      if (flags != 0) {
        return i + (Long.numberOfTrailingZeros(flags) >>> 3);
      }
      i += Long.BYTES;
    }
    while (i < end && b[i] != '"' && b[i] != '\\' && b[i] >= 0x20) {
      i++;
    }
    return i;
  }

  /**
   * The high bit of each of the eight bytes of {@code word} (the first in the lowest byte) that is
   * a quote, a backslash, a control character or not ASCII, and maybe of bytes after one that is:
   * zero when there is none. SWAR: a byte that matches a test becomes zero, or less than zero, and
   * borrows from its high bit; no byte below the first that matches borrows, so the lowest flag is
   * exact.
   */
  private static long specials(long word) {
    long quote = word ^ ONES * '"';
    long backslash = word ^ ONES * '\\';
    return ((word - ONES * 0x20) & ~word
            | (quote - ONES) & ~quote
            | (backslash - ONES) & ~backslash
            | word)
        & HIGH_BITS;
  }

  /**
   * At the first backslash of the string that started at {@code start}: the string, decoded and
   * checked for unpaired surrogates (which only an escape can give here), after its closing quote.
   */
  private String escaped(int start) {
    StringBuilder out = new StringBuilder(pos - start + 16);
    out.append(new String(b, start, pos - start, StandardCharsets.UTF_8));
    while (true) {
      byte c = peek();
      if (c == '"') {
        pos++;
        String s = out.toString();
        if (UnpairedSurrogates.in(s)) {
          throw UNSURE;
        }
        return s;
      }
      if (c == '\\') {
        pos++;
        out.append(escape());
      } else if (c < 0) {
        out.appendCodePoint(utf8());
      } else if (c < 0x20) {
        throw UNSURE;
      } else {
        out.append((char) c);
        pos++;
      }
    }
  }

  /** After a backslash: the character it escapes, after the escape. */
  private char escape() {
    byte c = peek();
    pos++;
    switch (c) {
      case '"':
      case '\\':
      case '/':
        return (char) c;
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
        int unit = 0;
        for (int i = 0; i < 4; i++) {
          unit = unit << 4 | hex(peek());
          pos++;
        }
        return (char) unit;
      default:
        throw UNSURE;
    }
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    throw UNSURE;
  }

  /**
   * At the first byte of a multi-byte UTF-8 sequence: its code point, after it; well-formed
   * sequences only (Unicode's table 3-7).
   */
  private int utf8() {
    int c = b[pos] & 0xFF;
    if (c < 0xC2) {
      throw UNSURE;
    }
    if (c < 0xE0) {
      int c1 = continuation(pos + 1);
      pos += 2;
      return (c & 0x1F) << 6 | c1;
    }
    if (c < 0xF0) {
      int c1 = continuation(pos + 1);
      if (c == 0xE0 && c1 < 0x20 || c == 0xED && c1 >= 0x20) {
        throw UNSURE;
      }
      int c2 = continuation(pos + 2);
      pos += 3;
      return (c & 0x0F) << 12 | c1 << 6 | c2;
    }
    if (c < 0xF5) {
      int c1 = continuation(pos + 1);
      if (c == 0xF0 && c1 < 0x10 || c == 0xF4 && c1 >= 0x10) {
        throw UNSURE;
      }
      int c2 = continuation(pos + 2);
      int c3 = continuation(pos + 3);
      pos += 4;
      return (c & 0x07) << 18 | c1 << 12 | c2 << 6 | c3;
    }
    throw UNSURE;
  }

  /** The six bits of the continuation byte at {@code at}. */
  private int continuation(int at) {
    if (at >= end || (b[at] & 0xC0) != 0x80) {
      throw UNSURE;
    }
    return b[at] & 0x3F;
  }

  /**
   * A number, as Jackson gives it: an Integer when it fits, else a Long; a fraction or an exponent
   * a Double.
   */
  private Number number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int digitsStart = pos;
    byte first = peek();
    if (first == '0') {
      pos++;
    } else if (first >= '1' && first <= '9') {
      skipDigits();
    } else {
      throw UNSURE;
    }
    int digits = pos - digitsStart;
    boolean integer = true;
    if (pos < end && b[pos] == '.') {
      pos++;
      requireDigits();
      integer = false;
    }
    if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
      pos++;
      if (peek() == '+' || b[pos] == '-') {
        pos++;
      }
      requireDigits();
      integer = false;
    }
    if (pos - start > MAX_NUMBER_CHARS) {
      throw UNSURE;
    }
    if (!integer) {
      return Double.parseDouble(new String(b, start, pos - start, StandardCharsets.ISO_8859_1));
    }
    if (digits > MAX_INTEGER_DIGITS) {
      throw UNSURE;
    }
    long value = 0;
    for (int i = digitsStart; i < pos; i++) {
      value = 10 * value + (b[i] - '0');
    }
    if (digitsStart > start) {
      value = -value;
    }
    return value == (int) value ? (Number) (int) value : (Number) value;
  }

  /** A number that must be a 32-bit integer, as {@code failureCode}. */
  private Integer integer() {
    if (number() instanceof Integer value) {
      return value;
    }
    throw UNSURE;
  }

  /** The {@code timeout} header: a positive integer. */
  private long timeout() {
    Number value = number();
    if ((value instanceof Integer || value instanceof Long) && value.longValue() > 0) {
      return value.longValue();
    }
    throw UNSURE;
  }

  private Boolean bool() {
    if (peek() == 't') {
      literal("true");
      return Boolean.TRUE;
    }
    literal("false");
    return Boolean.FALSE;
  }

  private void skipDigits() {
    int i = pos;
    while (i < end && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    pos = i;
  }

  private void requireDigits() {
    int from = pos;
    skipDigits();
    if (pos == from) {
      throw UNSURE;
    }
  }

  private void literal(String word) {
    if (end - pos < word.length()) {
      throw UNSURE;
    }
    for (int i = 0; i < word.length(); i++) {
      if (b[pos + i] != word.charAt(i)) {
        throw UNSURE;
      }
    }
    pos += word.length();
  }

  /** At {@code c} that opens an object or array: one level deeper, after it and its whitespace. */
  private void open(char c) {
    expect(c);
    if (++depth > MAX_DEPTH) {
      throw UNSURE;
    }
    pos++;
    skipSpace();
  }

  /** Whether the object or array just opened closes here with {@code c} (then after it). */
  private boolean close(char c) {
    if (peek() != c) {
      return false;
    }
    pos++;
    depth--;
    return true;
  }

  /** At {@code c} that must close the object or array: one level up, after it. */
  private void end(char c) {
    expect(c);
    pos++;
    depth--;
  }

  private boolean comma() {
    if (peek() != ',') {
      return false;
    }
    pos++;
    return true;
  }

  /** A colon with its whitespace. */
  private void colon() {
    skipSpace();
    expect(':');
    pos++;
    skipSpace();
  }

  private void expect(char c) {
    if (peek() != c) {
      throw UNSURE;
    }
  }

  private byte peek() {
    if (pos >= end) {
      throw UNSURE;
    }
    return b[pos];
  }

  private void skipSpace() {
    int i = pos;
    while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
      i++;
    }
    pos = i;
  }

  /** The limits of Vert.x's own parser, as {@link JacksonCodec} configured it. */
  private static StreamReadConstraints constraints() {
    try (JsonParser parser = JacksonCodec.createParser(Buffer.buffer("{}"))) {
      return parser.streamReadConstraints();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The longest frame whose strings, names, tokens and length the parser cannot refuse: a frame of
   * n bytes has no string or name longer than n characters and no more than n tokens.
   */
  static long maxFrame(StreamReadConstraints limits) {
    if (limits.getMaxNestingDepth() < MAX_DEPTH || limits.getMaxNumberLength() < MAX_NUMBER_CHARS) {
      return -1;
    }
    long max = Math.min(limits.getMaxStringLength(), limits.getMaxNameLength());
    if (limits.hasMaxDocumentLength()) {
      max = Math.min(max, limits.getMaxDocumentLength());
    }
    if (limits.hasMaxTokenCount()) {
      max = Math.min(max, limits.getMaxTokenCount());
    }
    return max - 1;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The reader is not sure: the parser decides. */
  private static final class Unsure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsure() {
      super(null, null, false, false);
    }
  }
}
