package io.courier.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Parses a frame body into a JSON object, enforcing the rules of docs/protocol.md section 6.1:
 * strict UTF-8 (malformed or overlong sequences and encoded surrogates are rejected, not replaced),
 * strict JSON (RFC 8259: no comments, no trailing content), a JSON object at the top, at most
 * {@value #MAX_DEPTH} levels of nesting (the top object is level 1), and no string with an unpaired
 * surrogate escape. An empty body is {@code {}}. Numbers longer than {@value #MAX_NUMBER_LENGTH}
 * characters and keys longer than {@value #MAX_NAME_LENGTH} are refused too (Jackson's limits).
 *
 * <p>Parsing uses a Jackson factory of its own rather than Vert.x's {@code Json.decodeValue}, whose
 * factory allows comments; its nesting limit makes Jackson stop at level 33 instead of a separate
 * scan.
 *
 * <p>RFC 8259 lets a string escape any UTF-16 code unit, so a lone surrogate such as <code>
 * "&#92;ud800"</code> is valid JSON, and Jackson takes it. It is no Unicode text (I-JSON, RFC 7493,
 * forbids it): written back into a PUSH or a PULL page it makes a strict client's decoder refuse
 * that frame every time. The strict UTF-8 check already refuses encoded surrogates, so an escape is
 * the only way one can enter; the byte scan that looks for non-ASCII reads the escapes in the same
 * pass (now always to the end of the body), and only a backslash costs more than a comparison.
 * Checking the strings of the parsed tree was rejected: a second pass over every string of every
 * body, for what is almost never there.
 */
public final class BodyParser {
  public static final int MAX_DEPTH = 32;

  /**
   * Jackson's default limits, written out so that the message can name them: converting a number
   * costs time quadratic in its length, so an unbounded one is a cheap attack.
   */
  static final int MAX_NUMBER_LENGTH = 1000;

  static final int MAX_NAME_LENGTH = 50_000;

  private static final JsonFactory STRICT_JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxNumberLength(MAX_NUMBER_LENGTH)
                  .maxNameLength(MAX_NAME_LENGTH)
                  .build())
          .build();

  private static final ThreadLocal<CharsetDecoder> UTF8 =
      ThreadLocal.withInitial(
          () ->
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT));

  private BodyParser() {}

  public static JsonObject parse(Buffer body) throws MalformedBodyException {
    if (body.length() == 0) {
      return new JsonObject();
    }
    byte[] bytes = body.getBytes();
    int found = scan(bytes);
    Object value;
    JsonParser parser = null;
    try {
      parser =
          found == ASCII
              ? STRICT_JSON.createParser(bytes)
              : STRICT_JSON.createParser(decodeUtf8(bytes));
      value = JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException | IOException e) {
      if (e.getCause() instanceof StreamConstraintsException) {
        // Jackson counts the level it refuses in the context's depth; a number or key that is too
        // long leaves the depth within the limit
        throw new MalformedBodyException(
            parser.getParsingContext().getNestingDepth() > MAX_DEPTH
                ? "body nests deeper than " + MAX_DEPTH + " levels"
                : "body has a number longer than "
                    + MAX_NUMBER_LENGTH
                    + " characters or a key longer than "
                    + MAX_NAME_LENGTH);
      }
      throw new MalformedBodyException("body is not valid JSON");
    }
    if (!(value instanceof JsonObject)) {
      throw new MalformedBodyException("body is not a JSON object");
    }
    // only now: the scan reads every backslash as the start of an escape, true in valid JSON only
    if (found == UNPAIRED_SURROGATE) {
      throw new MalformedBodyException("body has an escaped unpaired surrogate");
    }
    return (JsonObject) value;
  }

  /** {@link #scan}: only ASCII, and no unpaired surrogate escape. */
  private static final int ASCII = 0;

  /**
   * {@link #scan}: a non-ASCII or a NUL byte, and no unpaired surrogate escape: the body goes
   * through the strict decoder.
   */
  private static final int NON_ASCII = 1;

  /** {@link #scan}: an unpaired surrogate escape (whether there is non-ASCII is not known). */
  private static final int UNPAIRED_SURROGATE = 2;

  /** Length of one escape of a code unit: backslash, {@code u}, 4 hex digits. */
  private static final int UNIT_ESCAPE = 6;

  /**
   * Pure ASCII is valid UTF-8 as it is: most bodies are, and skip the strict decoder. The same pass
   * reads the escapes. In valid JSON a backslash occurs only in a string and always starts an
   * escape, so skipping each escape whole keeps the scan in step: an escaped backslash followed by
   * {@code ud800} is text, not a surrogate. A high surrogate is paired only by a low one escaped
   * right after it: a raw character there is a code point of its own.
   */
  private static int scan(byte[] bytes) {
    int found = ASCII;
    int i = 0;
    while (i < bytes.length) {
      byte b = bytes[i];
      // a NUL too: Jackson reads bytes with a 00 among the first two as UTF-16 or UTF-32 (7B 00 7D
      // 00 is {} in UTF-16LE); decoded first, a NUL is a character that JSON refuses unescaped
      if (b <= 0) {
        found = NON_ASCII;
        i++;
      } else if (b != '\\') {
        i++;
      } else if (i + 1 < bytes.length && bytes[i + 1] != 'u') {
        // past an escaped backslash, which starts no escape; any other escaped byte is read next,
        // so that a non-ASCII one after a backslash still sends the body through the decoder
        i += bytes[i + 1] == '\\' ? 2 : 1;
      } else {
        int unit = unitEscapeAt(bytes, i);
        if (Character.isLowSurrogate((char) unit)) {
          return UNPAIRED_SURROGATE;
        }
        if (Character.isHighSurrogate((char) unit)) {
          if (!Character.isLowSurrogate((char) unitEscapeAt(bytes, i + UNIT_ESCAPE))) {
            return UNPAIRED_SURROGATE;
          }
          i += UNIT_ESCAPE;
        }
        i += unit < 0 ? 1 : UNIT_ESCAPE;
      }
    }
    return found;
  }

  /**
   * The code unit escaped at {@code at} (a backslash, {@code u}, 4 hex digits), or -1 if there is
   * no such escape: then the body is no valid JSON, and the parser says so.
   */
  private static int unitEscapeAt(byte[] bytes, int at) {
    if (at + UNIT_ESCAPE > bytes.length || bytes[at] != '\\' || bytes[at + 1] != 'u') {
      return -1;
    }
    int unit = 0;
    for (int i = at + 2; i < at + UNIT_ESCAPE; i++) {
      int digit = Character.digit(bytes[i], 16);
      if (digit < 0) {
        return -1;
      }
      unit = unit << 4 | digit;
    }
    return unit;
  }

  private static String decodeUtf8(byte[] bytes) throws MalformedBodyException {
    CharsetDecoder decoder = UTF8.get().reset();
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new MalformedBodyException("body is not valid UTF-8");
    }
  }
}
