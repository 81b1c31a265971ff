package io.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link JsonBytes} against Jackson's byte generator, which wrote every PUSH body before it: the
 * same calls must give the same bytes, for every character and for random strings mixing the
 * characters that are escaped, written as several bytes, or written as escapes (surrogates).
 */
class JsonBytesTest {
  private static final JsonFactory JACKSON = new JsonFactory();

  /** A writer of the same fields to both. */
  private interface Fields {
    void toBytes(JsonBytes json);

    void toJackson(JsonGenerator json) throws IOException;
  }

  @Test
  void everyCharacterAloneIsWrittenAsJacksonWritesIt() {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      assertSameAsJackson(String.valueOf((char) c));
    }
  }

  @Test
  void everyCharacterBetweenOthersIsWrittenAsJacksonWritesIt() {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      assertSameAsJackson("a" + (char) c + "é\u2028" + (char) c + "z");
    }
  }

  @Test
  void charactersOutsideTheBmpAndUnpairedSurrogatesAreWrittenAsJacksonWritesThem() {
    assertSameAsJackson("😀 and 𝄞");
    assertSameAsJackson("\uD83D");
    assertSameAsJackson("\uDE00\uD83D");
    assertSameAsJackson("x\uD83Dy");
    assertSameAsJackson(new String(Character.toChars(Character.MAX_CODE_POINT)));
  }

  @ParameterizedTest
  @ValueSource(
      longs = {
        0,
        1,
        9,
        10,
        99,
        100,
        -1,
        -10,
        65535,
        Integer.MAX_VALUE,
        Integer.MIN_VALUE,
        999_999_999_999_999_999L,
        1_000_000_000_000_000_000L,
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        Long.MIN_VALUE + 1,
        1_700_000_000_000L
      })
  void numbersAreWrittenAsJacksonWritesThem(long value) {
    assertAsJackson(
        new Fields() {
          @Override
          public void toBytes(JsonBytes json) {
            json.startObject()
                .field(JsonBytes.name("n"), value)
                .decimalString(JsonBytes.name("s"), value)
                .endObject();
          }

          @Override
          public void toJackson(JsonGenerator json) throws IOException {
            json.writeStartObject();
            json.writeNumberField("n", value);
            json.writeStringField("s", Long.toString(value));
            json.writeEndObject();
          }
        });
  }

  @Test
  void anEmptyObjectAndATrueFieldAreWrittenAsJacksonWritesThem() {
    assertAsJackson(
        new Fields() {
          @Override
          public void toBytes(JsonBytes json) {
            json.startObject().endObject();
          }

          @Override
          public void toJackson(JsonGenerator json) throws IOException {
            json.writeStartObject();
            json.writeEndObject();
          }
        });
    assertAsJackson(
        new Fields() {
          @Override
          public void toBytes(JsonBytes json) {
            json.startObject()
                .trueField(JsonBytes.name("sync"))
                .field(JsonBytes.name("a\"b"), "c")
                .endObject();
          }

          @Override
          public void toJackson(JsonGenerator json) throws IOException {
            json.writeStartObject();
            json.writeBooleanField("sync", true);
            json.writeStringField("a\"b", "c");
            json.writeEndObject();
          }
        });
  }

  /**
   * Random strings, from short to longer than Jackson writes in one segment, of characters drawn
   * from the classes it treats differently; fixed seeds, so that a failure is reproducible.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void randomStringsAreWrittenAsJacksonWritesThem(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < 2_000; i++) {
      int length = random.nextInt(10) == 0 ? random.nextInt(5_000) : random.nextInt(64);
      assertSameAsJackson(randomString(random, length));
    }
  }

  @Test
  void aBodyOfMoreStringsThanAreRememberedIsWrittenWhole() {
    assertAsJackson(
        new Fields() {
          @Override
          public void toBytes(JsonBytes json) {
            json.startObject();
            for (int i = 0; i < 100; i++) {
              json.field(JsonBytes.name("f" + i), i % 3 == 0 ? "plain" : "\u00e9\n" + i);
            }
            json.endObject();
          }

          @Override
          public void toJackson(JsonGenerator json) throws IOException {
            json.writeStartObject();
            for (int i = 0; i < 100; i++) {
              json.writeStringField("f" + i, i % 3 == 0 ? "plain" : "\u00e9\n" + i);
            }
            json.writeEndObject();
          }
        });
  }

  @Test
  void writingStartsAtTheOffsetAndGrowsACopyOnlyWhenFull() {
    byte[] out = new byte[64];
    out[2] = 7;
    JsonBytes json = JsonBytes.into(out, 3);
    json.startObject().field(JsonBytes.name("k"), "v").endObject();

    assertSame(out, json.array());
    assertEquals("{\"k\":\"v\"}", new String(out, 3, json.length()));
    assertEquals(7, out[2]);

    json = JsonBytes.into(out, 3);
    json.startObject().field(JsonBytes.name("k"), "v".repeat(20)).endObject();

    assertNotSame(out, json.array());

    assertEquals(7, json.array()[2]);
    assertEquals("{\"k\":\"" + "v".repeat(20) + "\"}", new String(json.array(), 3, json.length()));
  }

  private static String randomString(Random random, int length) {
    StringBuilder text = new StringBuilder(length);
    while (text.length() < length) {
      switch (random.nextInt(9)) {
        case 0 -> text.append((char) random.nextInt(0x20));
        case 1 -> text.append("\"\\/\u007f".charAt(random.nextInt(4)));
        case 2 -> text.append((char) (0x80 + random.nextInt(0x800 - 0x80)));
        case 3 -> text.append("\u2028\u2029\ufeff\uffff\u0800".charAt(random.nextInt(5)));
        case 4 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
        case 5 -> text.append((char) (0xD800 + random.nextInt(0x800)));
        case 6 -> text.append((char) (0x800 + random.nextInt(0xD800 - 0x800)));
        default -> text.append((char) (0x20 + random.nextInt(0x60)));
      }
    }
    return text.toString();
  }

  private static void assertSameAsJackson(String value) {
    assertAsJackson(
        new Fields() {
          @Override
          public void toBytes(JsonBytes json) {
            json.startObject()
                .field(JsonBytes.name("content"), value)
                .field(JsonBytes.name(value), 7)
                .endObject();
          }

          @Override
          public void toJackson(JsonGenerator json) throws IOException {
            json.writeStartObject();
            json.writeStringField("content", value);
            json.writeNumberField(value, 7);
            json.writeEndObject();
          }
        });
  }

  /**
   * Against Jackson's bytes, written into an array with room to spare and into one that must grow
   * (from one byte, with an offset).
   */
  private static void assertAsJackson(Fields fields) {
    byte[] expected = jackson(fields);
    JsonBytes roomy = JsonBytes.into(new byte[8 * 1024], 0);
    fields.toBytes(roomy);
    JsonBytes grown = JsonBytes.into(new byte[1], 1);
    fields.toBytes(grown);

    assertArrayEquals(expected, Arrays.copyOf(roomy.array(), roomy.length()));
    assertArrayEquals(expected, Arrays.copyOfRange(grown.array(), 1, 1 + grown.length()));
  }

  private static byte[] jackson(Fields fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = JACKSON.createGenerator(out)) {
      fields.toJackson(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
