package io.courier.bench;

import static io.courier.bench.Fuzzer.require;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.courier.protocol.BodyParser;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Random;

/**
 * {@code fuzz --target body} and BodyParserProperties: raw bytes, and JSON-ish text that is valid
 * or breaks one rule of docs/protocol.md section 6.1 at random (UTF-8, escapes, surrogates, syntax,
 * nesting, trailing data, encodings). The body parser's answer, the object or its failure's
 * message, must be what an independent reading of the rules gives: a strict UTF-8 check written out
 * here, then a strict Jackson parser reading the decoded text (no encoding detection, no depth
 * limit, nothing after the value), with the depth and surrogate rules checked on its tokens.
 * Whatever else the parser throws breaks the property too.
 */
final class BodyFuzzer implements Fuzzer<byte[]> {
  private static final String NOT_UTF8 = "body is not valid UTF-8";
  private static final String NOT_JSON = "body is not valid JSON";
  private static final String TOO_DEEP = "body nests deeper than 32 levels";
  private static final String NOT_OBJECT = "body is not a JSON object";
  private static final String SURROGATE = "body has an escaped unpaired surrogate";
  private static final String TOO_LONG =
      "body has a number longer than 1000 characters or a key longer than 50000";
  private static final String ACCEPTED = "accepted";

  /**
   * The oracle's parser. Jackson's defaults refuse every extension (comments, quotes, NaN, leading
   * zeros, control characters) and numbers and keys over their length limits; the depth is left
   * unlimited so that the oracle sees the real depth.
   */
  private static final JsonFactory STRICT =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
          .build();

  @Override
  public byte[] next(Random random, int size) {
    return random.nextBoolean() ? arbitraryBytes(random, size) : jsonish(random, size);
  }

  static byte[] arbitraryBytes(Random random, int size) {
    byte[] bytes = new byte[random.nextInt(2 * size + 1)];
    random.nextBytes(bytes);
    return bytes;
  }

  static byte[] jsonish(Random random, int size) {
    return new Jsonish(random, size).body();
  }

  @Override
  public void check(byte[] body) {
    String answer = answer(body);
    String expected = expected(body);
    require(
        answer.equals(expected),
        () -> "answered '" + answer + "', the rules give '" + expected + "'");
  }

  private static String answer(byte[] body) {
    try {
      BodyParser.parse(Buffer.buffer(body));
      return ACCEPTED;
    } catch (MalformedBodyException e) {
      return e.getMessage();
    }
  }

  @Override
  public byte[] bytes(byte[] body) {
    return body;
  }

  @Override
  public String detail(byte[] body) {
    return "";
  }

  /** The answer section 6.1 gives, in the order the parser checks. */
  private static String expected(byte[] bytes) {
    if (bytes.length == 0) {
      return ACCEPTED;
    }
    if (!isStrictUtf8(bytes)) {
      return NOT_UTF8;
    }
    boolean unpairedSurrogate = false;
    // the space changes nothing in JSON, but Jackson 2.18's parser of text skips the length check
    // of
    // a number at the top level that ends the input
    String text = new String(bytes, StandardCharsets.UTF_8) + " ";
    try (JsonParser parser = STRICT.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return NOT_JSON;
      }
      JsonToken token = first;
      do {
        if (parser.getParsingContext().getNestingDepth() > BodyParser.MAX_DEPTH) {
          return TOO_DEEP;
        }
        if (token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING) {
          unpairedSurrogate |= hasUnpairedSurrogate(parser.getText());
        }
        token = parser.getParsingContext().inRoot() ? null : parser.nextToken();
      } while (token != null);
      if (parser.nextToken() != null) {
        return NOT_JSON;
      }
      if (first != JsonToken.START_OBJECT) {
        return NOT_OBJECT;
      }
    } catch (StreamConstraintsException e) {
      return TOO_LONG;
    } catch (IOException e) {
      return NOT_JSON;
    }
    return unpairedSurrogate ? SURROGATE : ACCEPTED;
  }

  /**
   * UTF-8 as RFC 3629 section 4 defines it, byte ranges written out: no overlong form, no
   * surrogate, nothing above U+10FFFF, nothing truncated.
   */
  private static boolean isStrictUtf8(byte[] bytes) {
    int i = 0;
    while (i < bytes.length) {
      int b = bytes[i] & 0xFF;
      int length;
      int secondMin = 0x80;
      int secondMax = 0xBF;
      if (b < 0x80) {
        length = 1;
      } else if (b >= 0xC2 && b <= 0xDF) {
        length = 2;
      } else if (b >= 0xE0 && b <= 0xEF) {
        length = 3;
        secondMin = b == 0xE0 ? 0xA0 : 0x80;
        secondMax = b == 0xED ? 0x9F : 0xBF;
      } else if (b >= 0xF0 && b <= 0xF4) {
        length = 4;
        secondMin = b == 0xF0 ? 0x90 : 0x80;
        secondMax = b == 0xF4 ? 0x8F : 0xBF;
      } else {
        return false;
      }
      if (i + length > bytes.length) {
        return false;
      }
      for (int k = 1; k < length; k++) {
        int next = bytes[i + k] & 0xFF;
        int min = k == 1 ? secondMin : 0x80;
        int max = k == 1 ? secondMax : 0xBF;
        if (next < min || next > max) {
          return false;
        }
      }
      i += length;
    }
    return true;
  }

  private static boolean hasUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * JSON-ish text: each case picks a fault rate (none for a third of the cases), and each choice
   * made while writing the value is, at that rate, a fault instead: a bad byte, escape, number,
   * literal, separator or space, a value beyond the nesting limit, data after the value, another
   * encoding.
   */
  private static final class Jsonish {
    private final Random random;
    private final int size;
    private final double faultRate;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Deque<String> closers = new ArrayDeque<>();

    Jsonish(Random random, int size) {
      this.random = random;
      this.size = size;
      this.faultRate = new double[] {0, 0.01, 0.05}[random.nextInt(3)];
    }

    byte[] body() {
      space();
      if (fault()) {
        value(2);
      } else if (random.nextInt(4) == 0) {
        chain(BodyParser.MAX_DEPTH - 3 + random.nextInt(8));
      } else {
        object(random.nextInt(4));
      }
      space();
      if (fault()) {
        ascii(pick(" {}", "{\"a\":1}", "x", ",", "/* */", "\u0000", "]"));
      }
      byte[] bytes = out.toByteArray();
      if (random.nextInt(20) == 0) {
        bytes = reencoded(bytes);
      }
      return bytes;
    }

    private boolean fault() {
      return random.nextDouble() < faultRate;
    }

    /** A value; containers only while {@code levels} (below this value) remain. */
    private void value(int levels) {
      switch (random.nextInt(levels > 0 ? 6 : 4)) {
        case 0 -> string();
        case 1 -> number();
        case 2 -> ascii(fault() ? pick("True", "nul", "NaN", "Infinity", "undefined") : literal());
        case 3 -> string();
        case 4 -> array(levels - 1);
        default -> object(levels - 1);
      }
    }

    private String literal() {
      return pick("true", "false", "null");
    }

    private void object(int levels) {
      ascii("{");
      int members = random.nextInt(size / 15 + 2);
      for (int i = 0; i < members; i++) {
        if (i > 0) {
          separator(",");
        }
        space();
        key();
        separator(":");
        space();
        value(levels);
        space();
      }
      if (members > 0 && fault()) {
        ascii(",");
      }
      ascii("}");
    }

    private void array(int levels) {
      ascii("[");
      int elements = random.nextInt(size / 15 + 2);
      for (int i = 0; i < elements; i++) {
        if (i > 0) {
          separator(",");
        }
        space();
        value(levels);
        space();
      }
      ascii("]");
    }

    /** {@code levels} nested containers, objects and arrays at random, an object at the top. */
    private void chain(int levels) {
      for (int level = 1; level <= levels; level++) {
        boolean object = level == 1 || random.nextBoolean();
        ascii(object ? "{" : "[");
        if (object) {
          key();
          ascii(":");
        }
        closers.push(object ? "}" : "]");
      }
      value(0);
      while (!closers.isEmpty()) {
        ascii(closers.pop());
      }
    }

    private void key() {
      if (fault()) {
        ascii("'k'");
      } else {
        string();
      }
    }

    private void separator(String separator) {
      ascii(fault() ? pick(";", "", separator + separator) : separator);
    }

    private void space() {
      int count = random.nextInt(3);
      for (int i = 0; i < count; i++) {
        ascii(fault() ? pick("\f", "\u000b", "\u0000") : pick(" ", "\t", "\r", "\n"));
      }
      if (fault()) {
        bytes(0xC2, 0xA0);
      }
    }

    private void number() {
      if (fault()) {
        ascii(pick("01", "1.", ".5", "+1", "-", "1e", "0x10", "1_000", "--1"));
        return;
      }
      StringBuilder number = new StringBuilder(random.nextBoolean() ? "-" : "");
      int digits = random.nextInt(50) == 0 ? 990 + random.nextInt(20) : 1 + random.nextInt(20);
      number.append(random.nextInt(4) == 0 ? "0" : Integer.toString(1 + random.nextInt(9)));
      if (number.charAt(number.length() - 1) != '0') {
        number.append(digitsOf(digits - 1));
      }
      if (random.nextInt(3) == 0) {
        number.append('.').append(digitsOf(1 + random.nextInt(10)));
      }
      if (random.nextInt(4) == 0) {
        number.append(pick("e", "E")).append(pick("", "+", "-"));
        number.append(digitsOf(1 + random.nextInt(4)));
      }
      ascii(number.toString());
    }

    private String digitsOf(int count) {
      StringBuilder digits = new StringBuilder();
      for (int i = 0; i < count; i++) {
        digits.append((char) ('0' + random.nextInt(10)));
      }
      return digits.toString();
    }

    private void string() {
      ascii("\"");
      int length = random.nextInt(size / 4 + 2);
      for (int i = 0; i < length; i++) {
        if (fault()) {
          stringFault();
        } else {
          stringPart();
        }
      }
      ascii("\"");
    }

    private void stringPart() {
      switch (random.nextInt(9)) {
        case 0 -> ascii(pick("\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"));
        case 1 -> unitEscape(nonSurrogate(random.nextInt(0x10000)));
        case 2 -> {
          int codePoint = 0x10000 + random.nextInt(0x100000);
          unitEscape(Character.highSurrogate(codePoint));
          unitEscape(Character.lowSurrogate(codePoint));
        }
        case 3 -> utf8(nonSurrogate(0x80 + random.nextInt(0x800 - 0x80)));
        case 4 -> utf8(nonSurrogate(0x800 + random.nextInt(0x10000 - 0x800)));
        case 5 -> utf8(0x10000 + random.nextInt(0x100000));
        case 6 -> ascii("\\\\ud800");
        default -> {
          char c = (char) (0x20 + random.nextInt(0x5F));
          ascii(c == '"' || c == '\\' ? "q" : Character.toString(c));
        }
      }
    }

    private void stringFault() {
      switch (random.nextInt(10)) {
        case 0 -> unitEscape(0xD800 + random.nextInt(0x400));
        case 1 -> unitEscape(0xDC00 + random.nextInt(0x400));
        case 2 -> {
          unitEscape(0xD800 + random.nextInt(0x400));
          if (random.nextBoolean()) {
            unitEscape(nonSurrogate(random.nextInt(0x10000)));
          } else {
            utf8(0x10000 + random.nextInt(0x100000));
          }
        }
        case 3 -> ascii(pick("\\x41", "\\u12", "\\U0041", "\\u00G0", "\\", "\\'"));
        case 4 -> bytes(random.nextInt(0x20));
        case 5 -> bytes(0xC0, 0xAF);
        case 6 -> bytes(0xED, 0xA0 + random.nextInt(0x20), 0x80);
        case 7 -> bytes(0xE2, 0x82);
        case 8 -> bytes(0xF4, 0x90, 0x80, 0x80);
        default -> bytes(pick(0x80, 0xBF, 0xC1, 0xF5, 0xFE, 0xFF));
      }
    }

    private int nonSurrogate(int unit) {
      return Character.isSurrogate((char) unit) ? 'a' : unit;
    }

    private void unitEscape(int unit) {
      HexFormat hex = random.nextBoolean() ? HexFormat.of() : HexFormat.of().withUpperCase();
      ascii("\\u" + hex.toHexDigits((char) unit));
    }

    private void utf8(int codePoint) {
      out.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
    }

    private void ascii(String text) {
      out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    private void bytes(int... bytes) {
      for (int b : bytes) {
        out.write(b);
      }
    }

    /** The text in UTF-16 or UTF-32, or after a byte order mark: no longer what 6.1 takes. */
    private byte[] reencoded(byte[] bytes) {
      if (!isStrictUtf8(bytes)) {
        return bytes;
      }
      String text = new String(bytes, StandardCharsets.UTF_8);
      return switch (random.nextInt(4)) {
        case 0 -> text.getBytes(StandardCharsets.UTF_16BE);
        case 1 -> text.getBytes(StandardCharsets.UTF_16LE);
        case 2 -> text.getBytes(Charset.forName("UTF-32LE"));
        default -> ("\uFEFF" + text).getBytes(StandardCharsets.UTF_8);
      };
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
      return choices[random.nextInt(choices.length)];
    }
  }
}
