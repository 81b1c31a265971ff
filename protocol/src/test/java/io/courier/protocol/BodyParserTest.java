package io.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The body rules of docs/protocol.md section 6.1: a UTF-8 JSON object, nested at most 32 levels
 * (the top object is level 1), without an unpaired surrogate escape; an empty body is {@code {}}.
 */
class BodyParserTest {

  static JsonObject parse(String text) throws MalformedBodyException {
    return BodyParser.parse(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)));
  }

  static void assertRejected(String text) {
    assertThrows(MalformedBodyException.class, () -> parse(text), text);
  }

  /** {@code {"s":"<raw bytes>"}}: the given bytes, in hex, inside a JSON string. */
  static Buffer stringWithRawBytes(String hex) {
    return Buffer.buffer("{\"s\":\"")
        .appendBytes(HexFormat.of().parseHex(hex.replace(" ", "")))
        .appendString("\"}");
  }

  static void assertRejectedBytes(String hex) {
    Buffer body = stringWithRawBytes(hex);
    assertThrows(MalformedBodyException.class, () -> BodyParser.parse(body), hex);
  }

  /**
   * JSON nested {@code depth} levels, objects at odd levels and arrays at even ones, the top being
   * an object: depth 3 is {@code {"k":[{}]}}.
   */
  static String nested(int depth) {
    return level(1, depth);
  }

  private static String level(int level, int depth) {
    boolean object = level % 2 == 1;
    String inner = level == depth ? "" : (object ? "\"k\":" : "") + level(level + 1, depth);
    return object ? "{" + inner + "}" : "[" + inner + "]";
  }

  @Test
  void emptyBodyIsAnEmptyObject() throws MalformedBodyException {
    assertEquals(new JsonObject(), BodyParser.parse(Buffer.buffer()));
  }

  @Test
  void parsesAnObject() throws MalformedBodyException {
    JsonObject body =
        parse("{\"uid\":\"alice\",\"appcode\":101,\"tags\":[\"a\",1,true,null],\"o\":{\"x\":1.5}}");

    assertEquals("alice", body.getString("uid"));
    assertEquals(101, body.getInteger("appcode"));
    assertEquals(new JsonArray().add("a").add(1).add(true).addNull(), body.getJsonArray("tags"));
    assertEquals(1.5, body.getJsonObject("o").getDouble("x"));
  }

  @Test
  void parsesMultiByteUtf8() throws MalformedBodyException {
    assertEquals("héllo 你好 😀", parse("{\"s\":\"héllo 你好 😀\"}").getString("s"));
  }

  @Test
  void acceptsWhitespaceAroundTheObject() throws MalformedBodyException {
    assertEquals(new JsonObject().put("a", 1), parse(" \t\r\n{ \"a\" : 1 }\n\r\t "));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hello",
        "{",
        "}",
        "{\"a\":}",
        "{\"a\" 1}",
        "{\"a\":1,}",
        "{a:1}",
        "{'a':1}",
        "{\"a\":NaN}",
        "{\"a\":01}",
        "{\"a\":\"unterminated}",
        " "
      })
  void rejectsTextThatIsNotAJsonObject(String text) {
    assertRejected(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[{\"a\":1}]", "\"text\"", "42", "-1.5", "true", "null"})
  void rejectsJsonThatIsNotAnObjectAtTheTop(String text) {
    assertRejected(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{} x", "{}}", "{}{}", "{\"a\":1},", "{\"a\":1}]", "{} null"})
  void rejectsTrailingGarbageAfterTheObject(String text) {
    assertRejected(text);
  }

  /** Comments are not JSON (RFC 8259), whatever a lenient parser may allow. */
  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1} // comment", "{/* comment */}", "{\"a\":1 /* comment */}"})
  void rejectsComments(String text) {
    assertRejected(text);
  }

  @Test
  void rejectsLoneContinuationByte() {
    assertRejectedBytes("80");
  }

  @Test
  void rejectsTruncatedMultiByteSequence() {
    assertRejectedBytes("E4 BD");
    assertRejectedBytes("F0 9F 98");
    assertRejectedBytes("C3");
  }

  @Test
  void rejectsTruncatedSequenceAtTheEndOfTheBody() {
    Buffer body = Buffer.buffer("{\"s\":\"a\"}").appendByte((byte) 0xC3);

    assertThrows(MalformedBodyException.class, () -> BodyParser.parse(body));
  }

  @Test
  void rejectsOverlongEncoding() {
    assertRejectedBytes("C0 AF");
    assertRejectedBytes("E0 80 AF");
    assertRejectedBytes("F0 80 80 AF");
  }

  @Test
  void rejectsEncodedSurrogates() {
    assertRejectedBytes("ED A0 80");
    assertRejectedBytes("ED BF BF");
    assertRejectedBytes("ED A0 BD ED B8 80");
  }

  /**
   * JSON may escape any UTF-16 code unit, but a string with an unpaired surrogate is not Unicode
   * text: a strict decoder on the receiving client refuses the PUSH or the whole PULL page.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"s\":\"\\ud800\"}",
        "{\"s\":\"\\udc00\"}",
        "{\"s\":\"\\uDBFF\"}",
        "{\"s\":\"a\\ud83d\"}",
        "{\"s\":\"\\ud83db\"}",
        "{\"s\":\"\\ud83d\\u0041\"}",
        "{\"s\":\"\\ud83d\\n\"}",
        "{\"s\":\"\\ud83d\\ud83d\\ude00\"}",
        "{\"s\":\"\\ud83d\\ude00\\ude00\"}",
        "{\"s\":\"\\ude00\\ud83d\"}",
        "{\"\\ud800\":1}",
        "{\"o\":{\"a\":[1,\"x\",\"\\udfff\"]}}",
        "{\"s\":\"\\\\\\ud800\"}",
        "{\"s\":\"h\u00e9\\ud800\"}"
      })
  void rejectsAnUnpairedSurrogateEscapeAnywhere(String text) {
    MalformedBodyException e = assertThrows(MalformedBodyException.class, () -> parse(text), text);
    assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
  }

  @Test
  void rejectsAHighSurrogateEscapeFollowedByARawCharacter() {
    assertThrows(MalformedBodyException.class, () -> parse("{\"s\":\"\\ud83d\ud83d\ude00\"}"));
  }

  @Test
  void acceptsPairedSurrogateEscapes() throws MalformedBodyException {
    assertEquals("\ud83d\ude00", parse("{\"s\":\"\\ud83d\\ude00\"}").getString("s"));
    assertEquals("\ud83d\ude00", parse("{\"s\":\"\\uD83D\\uDE00\"}").getString("s"));
    assertEquals(
        "\u00e9\ud83d\ude00x",
        parse("{\"s\":\"\u00e9\\ud83d\\ude00x\"}").getString("s"),
        "after raw UTF-8");
    assertEquals(1, parse("{\"\\udbff\\udfff\":1}").getInteger("\udbff\udfff"));
  }

  @Test
  void anEscapedBackslashBeforeUIsNotAnEscape() throws MalformedBodyException {
    assertEquals("\\ud800", parse("{\"s\":\"\\\\ud800\"}").getString("s"));
    assertEquals("\\A", parse("{\"s\":\"\\\\\\u0041\"}").getString("s"));
  }

  @Test
  void invalidJsonIsReportedAsSuchEvenWithASurrogateEscape() {
    MalformedBodyException e =
        assertThrows(MalformedBodyException.class, () -> parse("{\"s\":\"\\ud800\""));
    assertEquals("body is not valid JSON", e.getMessage());
  }

  @Test
  void rejectsCodePointAboveU10FFFF() {
    assertRejectedBytes("F4 90 80 80");
  }

  @ParameterizedTest
  @ValueSource(strings = {"F5", "F6", "F7", "F8", "F9", "FA", "FB", "FC", "FD", "FE", "FF"})
  void rejectsBytesThatNeverOccurInUtf8(String b) {
    assertRejectedBytes(b + " 80 80 80");
    assertRejectedBytes(b);
  }

  @Test
  void nestedHelperCountsLevelsAsTheSpecDoes() {
    assertEquals("{}", nested(1));
    assertEquals("{\"k\":[{}]}", nested(3));
    assertEquals("{\"k\":[{\"k\":[]}]}", nested(4));
  }

  @Test
  void acceptsDepthExactly32() throws MalformedBodyException {
    parse(nested(32));
    parse("{\"k\":" + "[".repeat(31) + "]".repeat(31) + "}");
    parse("{\"k\":".repeat(32) + "1" + "}".repeat(32));
  }

  @Test
  void rejectsDepth33() {
    assertRejected(nested(33));
    assertRejected("{\"k\":" + "[".repeat(32) + "]".repeat(32) + "}");
    assertRejected("{\"k\":".repeat(33) + "1" + "}".repeat(33));
  }

  @Test
  void rejectsDepth33ReachedAfterAShallowerSibling() {
    assertRejected("{\"a\":" + nested(2) + ",\"b\":" + "[".repeat(32) + "]".repeat(32) + "}");
  }

  @Test
  void rejectsVeryDeepNesting() {
    assertRejected("{\"k\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}");
  }

  @Test
  void bracketsInsideStringsDoNotCount() throws MalformedBodyException {
    String brackets = "[[[[{{{{".repeat(100);

    JsonObject body = parse("{\"s\":\"" + brackets + "\",\"t\":" + nested(31) + "}");

    assertEquals(brackets, body.getString("s"));
  }

  @Test
  void escapedQuoteDoesNotEndTheString() throws MalformedBodyException {
    String value = "\" " + "[".repeat(100) + " \\\"";
    String json = "{\"s\":\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";

    assertEquals(value, parse(json).getString("s"));
  }

  @Test
  void escapedBackslashBeforeTheClosingQuoteEndsTheString() {
    // "\\" is a complete string; a scanner that skipped the quote after it would miss the 33 levels
    assertRejected("{\"s\":\"\\\\\",\"t\":" + "[".repeat(32) + "]".repeat(32) + "}");
  }

  @Test
  void aQuoteInsideACommentCannotHideNesting() {
    // a depth scan that treats the quote in the comment as a string start would skip the 40
    // brackets
    assertRejected("{/*\"*/\"a\":" + "[".repeat(40) + "]".repeat(40) + ",\"b\":\"\"}");
  }

  /**
   * Found by BodyParserProperties: pure ASCII went to Jackson as bytes, and Jackson takes a 00
   * among the first two bytes for UTF-16 or UTF-32, so these were accepted as {@code {}}.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {"7B 00 7D 00", "00 7B 00 7D", "7B 00 00 00 7D 00 00 00", "00 0A 00 7B 00 7D"})
  void rejectsJsonInUtf16OrUtf32(String hex) {
    Buffer body = Buffer.buffer(HexFormat.of().parseHex(hex.replace(" ", "")));

    MalformedBodyException e =
        assertThrows(MalformedBodyException.class, () -> BodyParser.parse(body), hex);
    assertEquals("body is not valid JSON", e.getMessage());
  }

  /** Found by BodyParserProperties: the scan stepped over the byte after a backslash unread. */
  @Test
  void invalidUtf8AfterABackslashIsReportedAsSuch() {
    MalformedBodyException e =
        assertThrows(
            MalformedBodyException.class, () -> BodyParser.parse(stringWithRawBytes("5C E4")));
    assertEquals("body is not valid UTF-8", e.getMessage());
  }

  /** Found by BodyParserProperties: Jackson's length limits were reported as too deep a nesting. */
  @Test
  void aNumberOrKeyOverJacksonsLengthLimitIsReportedAsSuch() throws MalformedBodyException {
    String limit = "body has a number longer than 1000 characters or a key longer than 50000";
    String digits = "1".repeat(BodyParser.MAX_NUMBER_LENGTH);
    String key = "k".repeat(BodyParser.MAX_NAME_LENGTH);

    assertEquals(1, parse("{\"n\":" + digits + "}").size());
    assertEquals(1, parse("{\"" + key + "\":1}").size());
    MalformedBodyException number =
        assertThrows(MalformedBodyException.class, () -> parse("{\"n\":" + digits + "1}"));
    assertEquals(limit, number.getMessage());
    MalformedBodyException name =
        assertThrows(MalformedBodyException.class, () -> parse("{\"" + key + "k\":1}"));
    assertEquals(limit, name.getMessage());
  }
}
