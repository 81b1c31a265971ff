package io.courier.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.StreamReadConstraints;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link PlainSendReader} against the parser's pass ({@link PlainSend#parse}), which is the
 * contract: whatever the reader answers is exactly the parser's answer, down to the classes of the
 * tree's values, and the frames business clients write are answered by the reader. Random frames of
 * every shape, and corrupted copies of them, from fixed seeds; then the cases that matter one by
 * one.
 */
class BridgePlainSendReaderTest {
  private static final Predicate<String> TREE_FOR =
      address -> address.equals("courier.s2c") || address.startsWith("__vertx.reply.");

  private static final String SECRET = "\"courier-secret\":\"s3cret\"";

  /** The frame a business writes, as our bench and the stock clients encode it. */
  private static final String COMMON =
      "{\"type\":\"send\",\"address\":\"courier.s2c\",\"replyAddress\":\"__vertx.reply.7\","
          + "\"headers\":{"
          + SECRET
          + "},\"body\":{\"to_uid\":\"u-1\",\"to_appcode\":201,\"msgtype\":3,"
          + "\"content\":\"hello\",\"qos\":0}}";

  @Test
  void randomFramesAreReadExactlyAsTheParserReadsThem() {
    int read = 0;
    int plain = 0;
    for (long seed = 1; seed <= 8; seed++) {
      Frames frames = new Frames(new Random(seed));
      for (int i = 0; i < 2_500; i++) {
        Answers answers = compare(frames.frame(), seed);
        read += answers.read() == null ? 0 : 1;
        plain += answers.parsed() == null ? 0 : 1;
      }
    }
    int plainFrames = plain;
    int readFrames = read;
    assertTrue(
        readFrames > plainFrames / 2,
        () -> "the reader read " + readFrames + " of " + plainFrames + " plain frames");
  }

  @Test
  void corruptedFramesAreNeverReadOtherwiseThanByTheParser() {
    int read = 0;
    for (long seed = 1; seed <= 8; seed++) {
      Random random = new Random(seed);
      Frames frames = new Frames(random);
      for (int i = 0; i < 2_500; i++) {
        byte[] frame = frames.frame();
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
          frame = mutate(frame, random);
        }
        read += compare(frame, seed).read() == null ? 0 : 1;
      }
    }
    // a corruption may leave a plain frame (a space added, a digit changed): read as well
    assertTrue(read > 0);
  }

  @Test
  void theFramesBusinessClientsWriteAreReadWithoutTheParser() {
    String[] frames = {
      COMMON,
      COMMON.replace("courier.s2c", "biz.orders"),
      // another field order, the secret among other headers
      "{\"body\":{\"qos\":0,\"content\":\"hi\",\"msgtype\":3,\"to_appcode\":201,\"to_uid\":\"u\"},"
          + "\"headers\":{\"trace\":\"t\","
          + SECRET
          + ",\"timeout\":3000,\"localOnly\":false},\"replyAddress\":\"r\","
          + "\"address\":\"courier.s2c\",\"type\":\"send\"}",
      // Python's json.dumps: spaces, and every non-ASCII character escaped
      "{\"type\": \"send\", \"address\": \"courier.s2c\", \"replyAddress\": \"r\", "
          + "\"headers\": {\"courier-secret\": \"s3cret\"}, \"body\": {\"to_uid\": \"u\", "
          + "\"to_appcode\": 201, \"content\": \"\\u4f60\\u597d \\ud83d\\ude00 \\\"q\\\"\\n\"}}",
      // raw UTF-8, a reply with an answer, numbers of every kind
      "{\"type\":\"send\",\"address\":\"__vertx.reply.12\",\"failureCode\":-3,\"message\":\"m\","
          + "\"body\":{\"content\":\"你好 é 😀\",\"n\":[0,-0,2147483648,-9.5e-3,1E+2,true,null],"
          + "\"o\":{\"deep\":{\"x\":[]}}}}",
      "\r\n\t{ \"type\" : \"send\" , \"address\" : \"a\" , \"body\" : [ 1 , \"x\" ] }\n",
    };
    for (String frame : frames) {
      PlainSend.Plain read = compare(frame.getBytes(StandardCharsets.UTF_8), 0).read();
      assertNotNull(read, frame);
    }
  }

  @Test
  void aByteToLookAtIsFoundAtEveryOffsetOfAString() {
    // each next to a byte the reader stops at ('"' 0x22, '\\' 0x5c, 0x20 and 0x80), or one
    String[] read = {"!", "#", "[", "]", " ", "\u007f", "\u00e9", "\\n", "\\\"", "\\u0041"};
    for (int length = 0; length < 20; length++) {
      for (int at = 0; at <= length; at++) {
        for (String special : read) {
          String text = "a".repeat(at) + special + "b".repeat(length - at);
          for (String frame :
              List.of(
                  "{\"type\":\"send\",\"address\":\"courier.s2c\",\"body\":{\"c\":\""
                      + text
                      + "\",\"n\":1}}",
                  "{\"type\":\"send\",\"address\":\"courier.s2c\",\"body\":\"" + text + "\"}")) {
            assertNotNull(compare(frame.getBytes(StandardCharsets.UTF_8), 0).read(), frame);
          }
        }
        String control =
            "{\"type\":\"send\",\"address\":\"a\",\"body\":\""
                + "a".repeat(at)
                + "\u001f"
                + "b".repeat(length - at)
                + "\"}";
        assertNull(compare(control.getBytes(StandardCharsets.UTF_8), 0).read(), control);
      }
    }
  }

  @Test
  void theSecretsRangeIsTheParsersInEveryPosition() {
    String[] headers = {
      "{" + SECRET + "}",
      "{" + SECRET + ",\"trace\":\"t\"}",
      "{\"trace\":\"t\"," + SECRET + "}",
      "{\"timeout\":5," + SECRET + ",\"b\":\"2\"}",
      "{\"localOnly\":true , " + SECRET + " }",
      "{ " + SECRET + " ,\n \"trace\" : \"t\" }",
      "{\"courier-secret\":\"s3\\u0063ret\",\"trace\":\"\u00e9\"}",
      "{\"\u00e9\":\"\u00e9\"," + SECRET + "}",
    };
    for (String h : headers) {
      String frame =
          "{\"type\":\"send\",\"address\":\"courier.s2c\",\"headers\":"
              + h
              + ",\"body\":{\"to_uid\":\"u\"}}";
      PlainSend.Plain read = compare(frame.getBytes(StandardCharsets.UTF_8), 0).read();
      assertNotNull(read, frame);
      assertEquals("s3cret", read.secret());
    }
  }

  @Test
  void numbersHaveTheParsersTypes() {
    String[] numbers = {
      "0", "-0", "7", "2147483647", "-2147483648", "2147483648", "-2147483649",
      "999999999999999999", "-999999999999999999", "1.5", "-0.0", "1e3", "1E+2", "2.5e-3",
      "1e400", "-1e400", "4.9e-324", "0.1",
    };
    for (String number : numbers) {
      String frame =
          "{\"type\":\"send\",\"address\":\"courier.s2c\",\"body\":{\"to_appcode\":"
              + number
              + ",\"n\":["
              + number
              + "]}}";
      assertNotNull(compare(frame.getBytes(StandardCharsets.UTF_8), 0).read(), frame);
    }
  }

  @Test
  void whatTheReaderIsNotSureOfIsLeftToTheParser() {
    String send = "{\"type\":\"send\",\"address\":\"courier.s2c\",\"body\":";
    String[] frames = {
      send + "{/* comment */\"a\":1}}",
      "\uFEFF" + send + "1}",
      send + "\"\\ud800\"}",
      send + "\"\\udc00\\ud800\"}",
      send + "1234567890123456789}",
      send + "12345678901234567890123456789}",
      send + "1.00000000000000000000000000000001}",
      send + "{\"to_appcode\":1,\"to_appcode\":2}}",
      send + "1} x",
      send + "1}{}",
      send + "01}",
      send + "'a'}",
      send + "[1,]}",
      send + "\"\\x\"}",
      send + "\"\t\"}",
      send + "\"a" + "b".repeat(3) + "\"," + "\"extra\":1}",
      send + "1,\"type\":\"send\"}",
      "{\"type\":\"ping\"}",
      "{\"type\":\"send\",\"address\":\"\",\"body\":1}",
      "{\"type\":\"send\",\"address\":\"a\",\"headers\":{\"codecName\":\"x\"}}",
      "{\"type\":\"send\",\"address\":\"a\",\"headers\":{\"timeout\":0}}",
      "{\"type\":\"send\",\"address\":\"a\",\"headers\":{\"a\":\"1\",\"a\":\"2\"}}",
      "{\"type\":\"send\",\"address\":\"a\",\"headers\":{\"a\":1}}",
      send + "[".repeat(40) + "]".repeat(40) + "}",
    };
    for (String frame : frames) {
      assertNull(compare(frame.getBytes(StandardCharsets.UTF_8), 0).read(), frame);
    }
    byte[][] badUtf8 = {
      {(byte) 0xC0, (byte) 0x80},
      {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
      {(byte) 0x80},
      {(byte) 0xE4, (byte) 0xB8},
    };
    for (byte[] bad : badUtf8) {
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      frame.writeBytes((send + "\"a").getBytes(StandardCharsets.UTF_8));
      frame.writeBytes(bad);
      frame.writeBytes("b\"}".getBytes(StandardCharsets.UTF_8));
      assertNull(compare(frame.toByteArray(), 0).read(), HexFormat.of().formatHex(bad));
    }
  }

  @Test
  void theReaderStaysWithinTheParsersLimits() {
    assertEquals(49_999, PlainSendReader.MAX_FRAME);
    assertEquals(
        -1,
        PlainSendReader.maxFrame(
            StreamReadConstraints.builder()
                .maxNestingDepth(PlainSendReader.MAX_DEPTH - 1)
                .build()));
    assertEquals(
        -1,
        PlainSendReader.maxFrame(
            StreamReadConstraints.builder()
                .maxNumberLength(PlainSendReader.MAX_NUMBER_CHARS - 1)
                .build()));
    assertEquals(
        99,
        PlainSendReader.maxFrame(
            StreamReadConstraints.builder().maxDocumentLength(100).maxTokenCount(1000).build()));
    assertEquals(
        9, PlainSendReader.maxFrame(StreamReadConstraints.builder().maxStringLength(10).build()));
  }

  /** The parser's pass's answer on a frame, and the reader's (null when not sure). */
  private record Answers(PlainSend.Plain parsed, PlainSend.Plain read) {}

  /**
   * Reads {@code frame}, as the guard's slice of a length-prefixed frame, by the reader and by
   * {@link PlainSend#scan}, and checks both against the parser's pass.
   */
  private static Answers compare(byte[] frame, long seed) {
    Buffer prefixed = Buffer.buffer().appendInt(frame.length).appendBytes(frame);
    Buffer body = prefixed.slice(4, prefixed.length());
    PlainSend.Plain expected = PlainSend.parse(body, TREE_FOR);
    PlainSend.Plain read = PlainSendReader.read(body, TREE_FOR);
    Supplier<String> what = () -> "seed " + seed + ", frame " + show(frame);
    if (read != null) {
      if (expected == null) {
        fail("read a frame the parser refuses: " + what.get());
      }
      assertSamePlain(expected, read, what);
    }
    PlainSend.Plain scanned = PlainSend.scan(body, TREE_FOR);
    if (expected == null) {
      assertNull(scanned, what);
    } else {
      assertSamePlain(expected, scanned, what);
    }
    return new Answers(expected, read);
  }

  private static void assertSamePlain(
      PlainSend.Plain expected, PlainSend.Plain actual, Supplier<String> what) {
    assertNotNull(actual, what);
    assertEquals(expected.address(), actual.address(), what);
    assertEquals(expected.secret(), actual.secret(), what);
    assertEquals(expected.cutStart(), actual.cutStart(), what);
    assertEquals(expected.cutEnd(), actual.cutEnd(), what);
    assertSameValue(expected.toAppcode(), actual.toAppcode(), what);
    assertEquals(expected.replyAddress(), actual.replyAddress(), what);
    assertSameValue(expected.headers(), actual.headers(), what);
    assertEquals(expected.tree() == null, actual.tree() == null, what);
    if (expected.tree() != null) {
      assertSameValue(expected.tree().getMap(), actual.tree().getMap(), what);
    }
    assertSameValue(expected.failureCode(), actual.failureCode(), what);
    assertEquals(expected.message(), actual.message(), what);
  }

  /** Equal, in the same order, and of the same classes all the way down. */
  private static void assertSameValue(Object expected, Object actual, Supplier<String> what) {
    if (expected == null) {
      assertNull(actual, what);
      return;
    }
    assertNotNull(actual, what);
    assertEquals(expected.getClass(), actual.getClass(), what);
    if (expected instanceof Map<?, ?> map) {
      Map<?, ?> other = (Map<?, ?>) actual;
      assertEquals(List.copyOf(map.keySet()), List.copyOf(other.keySet()), what);
      for (Object key : map.keySet()) {
        assertSameValue(map.get(key), other.get(key), what);
      }
    } else if (expected instanceof List<?> list) {
      List<?> other = (List<?>) actual;
      assertEquals(list.size(), other.size(), what);
      for (int i = 0; i < list.size(); i++) {
        assertSameValue(list.get(i), other.get(i), what);
      }
    } else {
      assertEquals(expected, actual, what);
    }
  }

  private static String show(byte[] frame) {
    StringBuilder out = new StringBuilder();
    for (byte c : frame) {
      if (c >= 0x20 && c < 0x7f) {
        out.append((char) c);
      } else {
        out.append(String.format("<%02x>", c & 0xFF));
      }
    }
    return out.toString();
  }

  /** One corruption of {@code frame}: cut, a byte dropped, added or changed, or a tail added. */
  private static byte[] mutate(byte[] frame, Random random) {
    byte[] alphabet = "{}[],:\"\\/*-+.0159eEtfnu aZ\t\n\r".getBytes(StandardCharsets.US_ASCII);
    int[] raw = {
      0x00, 0x01, 0x1f, 0x7f, 0x80, 0xbf, 0xc0, 0xc3, 0xe4, 0xed, 0xef, 0xf0, 0xf4, 0xff
    };
    byte any =
        random.nextBoolean()
            ? alphabet[random.nextInt(alphabet.length)]
            : (byte) raw[random.nextInt(raw.length)];
    int at = frame.length == 0 ? 0 : random.nextInt(frame.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (random.nextInt(7)) {
      case 0:
        out.write(frame, 0, at);
        break;
      case 1:
        out.write(frame, 0, at);
        out.write(
            frame, Math.min(at + 1, frame.length), frame.length - Math.min(at + 1, frame.length));
        break;
      case 2:
        out.write(frame, 0, at);
        out.write(any);
        out.write(frame, at, frame.length - at);
        break;
      case 3:
        out.writeBytes(frame);
        if (at < frame.length) {
          byte[] copy = out.toByteArray();
          copy[at] = any;
          return copy;
        }
        break;
      case 4:
        out.writeBytes(frame);
        out.writeBytes(
            List.of(" ", "\n", "x", "{}", "/**/", "//", ",", "\u0000")
                .get(random.nextInt(8))
                .getBytes(StandardCharsets.UTF_8));
        break;
      case 5:
        out.writeBytes(
            List.of("\uFEFF", " ", "\u0000", "[")
                .get(random.nextInt(4))
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(frame);
        break;
      default:
        // a run of the frame repeated: duplicate members, nested copies
        int to = at + random.nextInt(frame.length - at + 1);
        out.write(frame, 0, to);
        out.write(frame, at, frame.length - at);
    }
    return out.toByteArray();
  }

  /**
   * Random send frames: mostly plain ones, of every shape the parser's pass takes, and near misses.
   */
  private static final class Frames {
    private static final String[] ADDRESSES = {
      "courier.s2c", "courier.s2c", "__vertx.reply.42", "biz.orders", "courier.s2c.multi",
    };

    private final Random random;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Frames(Random random) {
      this.random = random;
    }

    byte[] frame() {
      out.reset();
      List<Runnable> members = new ArrayList<>();
      if (chance(97)) {
        members.add(() -> member("type", this::type));
      }
      if (chance(97)) {
        members.add(
            () ->
                member(
                    "address",
                    () -> text(chance(98) ? ADDRESSES[random.nextInt(ADDRESSES.length)] : "")));
      }
      if (chance(70)) {
        members.add(() -> member("replyAddress", this::replyAddress));
      }
      if (chance(60)) {
        members.add(() -> member("headers", this::headers));
      }
      if (chance(95)) {
        members.add(() -> member("body", this::body));
      }
      if (chance(10)) {
        members.add(() -> member("failureCode", this::number));
      }
      if (chance(10)) {
        members.add(() -> member("message", () -> value(2)));
      }
      if (chance(3)) {
        members.add(() -> member(chance(50) ? "extra" : "typ\\u0065", () -> value(2)));
      }
      if (chance(3) && !members.isEmpty()) {
        members.add(members.get(random.nextInt(members.size())));
      }
      if (chance(50)) {
        Collections.shuffle(members, random);
      }
      space();
      object(members);
      space();
      return out.toByteArray();
    }

    private void type() {
      if (chance(95)) {
        put("\"send\"");
      } else {
        put(
            List.of("\"s\\u0065nd\"", "\"ping\"", "\"Send\"", "5", "{\"type\":\"send\"}", "null")
                .get(random.nextInt(6)));
      }
    }

    private void replyAddress() {
      if (chance(95)) {
        text("__vertx.reply." + random.nextInt(1000));
      } else {
        value(1);
      }
    }

    private void headers() {
      if (chance(3)) {
        value(2);
        return;
      }
      List<Runnable> headers = new ArrayList<>();
      if (chance(70)) {
        headers.add(
            () ->
                member(
                    "courier-secret",
                    () -> {
                      if (chance(95)) {
                        string();
                      } else {
                        value(1);
                      }
                    }));
      }
      if (chance(30)) {
        headers.add(
            () ->
                member(
                    "timeout",
                    () -> {
                      if (chance(80)) {
                        put(Long.toString(random.nextInt(60_000) - 100));
                      } else {
                        number();
                      }
                    }));
      }
      if (chance(20)) {
        headers.add(
            () ->
                member(
                    "localOnly",
                    () -> put(chance(90) ? (chance(50) ? "true" : "false") : "\"true\"")));
      }
      int more = random.nextInt(3);
      for (int i = 0; i < more; i++) {
        headers.add(
            () -> {
              name();
              colon();
              if (chance(95)) {
                string();
              } else {
                value(1);
              }
            });
      }
      if (chance(2)) {
        headers.add(() -> member("codecName", this::string));
      }
      if (chance(3) && !headers.isEmpty()) {
        headers.add(headers.get(random.nextInt(headers.size())));
      }
      Collections.shuffle(headers, random);
      object(headers);
    }

    private void body() {
      if (chance(15)) {
        value(4);
        return;
      }
      List<Runnable> fields = new ArrayList<>();
      fields.add(() -> member("to_uid", this::string));
      if (chance(90)) {
        fields.add(
            () ->
                member(
                    "to_appcode",
                    () -> {
                      if (chance(80)) {
                        put(Integer.toString(random.nextInt(1000)));
                      } else {
                        value(1);
                      }
                    }));
      }
      fields.add(() -> member("msgtype", this::number));
      fields.add(
          () ->
              member(
                  "content",
                  () -> {
                    if (chance(90)) {
                      string();
                    } else {
                      value(3);
                    }
                  }));
      fields.add(() -> member("qos", () -> put(Integer.toString(random.nextInt(3)))));
      int more = random.nextInt(3);
      for (int i = 0; i < more; i++) {
        fields.add(
            () -> {
              name();
              colon();
              value(4);
            });
      }
      if (chance(5)) {
        fields.add(fields.get(random.nextInt(fields.size())));
      }
      if (chance(30)) {
        Collections.shuffle(fields, random);
      }
      object(fields);
    }

    private void value(int depth) {
      int kind = random.nextInt(depth > 0 ? 9 : 6);
      switch (kind) {
        case 0, 1:
          string();
          break;
        case 2, 3:
          number();
          break;
        case 4:
          put(List.of("true", "false", "null").get(random.nextInt(3)));
          break;
        case 5:
          if (chance(2)) {
            int n = 25 + random.nextInt(15);
            put("[".repeat(n) + "]".repeat(n));
          } else {
            string();
          }
          break;
        case 6, 7:
          List<Runnable> fields = new ArrayList<>();
          int size = random.nextInt(4);
          for (int i = 0; i < size; i++) {
            fields.add(
                () -> {
                  name();
                  colon();
                  value(depth - 1);
                });
          }
          if (size > 0 && chance(10)) {
            fields.add(fields.get(0));
          }
          object(fields);
          break;
        default:
          put("[");
          space();
          int length = random.nextInt(4);
          for (int i = 0; i < length; i++) {
            if (i > 0) {
              put(",");
              space();
            }
            value(depth - 1);
            space();
          }
          put("]");
      }
    }

    private void object(List<Runnable> members) {
      put("{");
      for (int i = 0; i < members.size(); i++) {
        if (i > 0) {
          put(",");
        }
        space();
        members.get(i).run();
        space();
      }
      put("}");
    }

    private void member(String name, Runnable value) {
      put("\"" + name + "\"");
      colon();
      value.run();
    }

    private void colon() {
      space();
      put(":");
      space();
    }

    private void name() {
      if (chance(80)) {
        put(
            "\""
                + List.of("a", "to_uid", "to_appcode", "x-trace", "k" + random.nextInt(5))
                    .get(random.nextInt(5))
                + "\"");
      } else {
        string();
      }
    }

    private void number() {
      String[] edges = {
        "0",
        "-0",
        "2147483647",
        "-2147483648",
        "2147483648",
        "-2147483649",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "999999999999999999",
        "1000000000000000000",
        "-999999999999999999",
        "123456789012345678901234567890",
        "1.5",
        "-0.0",
        "1e3",
        "1E+2",
        "2.5e-3",
        "1e400",
        "0.1",
        "1.7976931348623157e308",
        "4.9e-324",
        "3.141592653589793238462643383279502884197",
      };
      String[] malformed = {
        "01", "1.", ".5", "+1", "-", "1e", "1e+", "NaN", "Infinity", "-Infinity", "0x10", "1_0",
      };
      if (chance(3)) {
        put(malformed[random.nextInt(malformed.length)]);
      } else if (chance(40)) {
        put(edges[random.nextInt(edges.length)]);
      } else if (chance(50)) {
        put(Integer.toString(random.nextInt()));
      } else if (chance(50)) {
        put(Long.toString(random.nextLong() >> random.nextInt(64)));
      } else {
        put(Double.toString((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20)));
      }
    }

    private void text(String plain) {
      put("\"" + plain + "\"");
    }

    /** A string of every kind: ASCII, escapes, raw UTF-8, and (rarely) what is not text. */
    private void string() {
      put("\"");
      int length = random.nextInt(12);
      // most strings are text; one in twenty may hold what is not
      int kinds = chance(95) ? 92 : 100;
      for (int i = 0; i < length; i++) {
        int kind = random.nextInt(kinds);
        if (kind < 60) {
          put(
              Character.toString((char) (0x20 + random.nextInt(0x5f)))
                  .replace("\"", "q")
                  .replace("\\", "b"));
        } else if (kind < 70) {
          put(
              List.of("\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t")
                  .get(random.nextInt(8)));
        } else if (kind < 76) {
          put(String.format("\\u%04x", random.nextInt(0x10000)));
        } else if (kind < 80) {
          put(
              String.format(
                  "\\u%04X\\u%04x",
                  0xd800 + random.nextInt(0x400), 0xdc00 + random.nextInt(0x400)));
        } else if (kind < 92) {
          out.writeBytes(Character.toString(codePoint()).getBytes(StandardCharsets.UTF_8));
        } else if (kind < 95) {
          int[][] bad = {
            {0xc0, 0x80},
            {0xc1, 0xbf},
            {0xe0, 0x80, 0x80},
            {0xed, 0xa0, 0x80},
            {0xed, 0xbf, 0xbf},
            {0xf0, 0x80, 0x80, 0x80},
            {0xf4, 0x90, 0x80, 0x80},
            {0xf5, 0x80, 0x80, 0x80},
            {0xff},
            {0x80},
            {0xe4, 0xb8},
            {0xf0, 0x9f, 0x98},
            {0xc3},
          };
          for (int c : bad[random.nextInt(bad.length)]) {
            out.write(c);
          }
        } else if (kind < 97) {
          out.write(random.nextInt(0x20));
        } else if (kind < 98) {
          out.write(0x7f);
        } else {
          put(List.of("\\x", "\\u12", "\\U0041", "\\'", "\\u00g0").get(random.nextInt(5)));
        }
      }
      put("\"");
    }

    private int codePoint() {
      switch (random.nextInt(4)) {
        case 0:
          return 0x80 + random.nextInt(0x780);
        case 1:
          return 0x800 + random.nextInt(0xd800 - 0x800);
        case 2:
          return 0xe000 + random.nextInt(0x2000);
        default:
          return 0x10000 + random.nextInt(0x100000);
      }
    }

    private void space() {
      if (chance(75)) {
        return;
      }
      int n = 1 + random.nextInt(3);
      for (int i = 0; i < n; i++) {
        if (chance(97)) {
          put(List.of(" ", "\t", "\n", "\r").get(random.nextInt(4)));
        } else {
          put(List.of("/**/", "\f", "\u000b", "\u00a0", "#").get(random.nextInt(5)));
        }
      }
    }

    private boolean chance(int percent) {
      return random.nextInt(100) < percent;
    }

    private void put(String s) {
      out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
  }
}
