package io.courier.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonGenerator;
import io.courier.protocol.Command;
import io.courier.protocol.FrameEncoder;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The PUSH frame written by {@link Message#writePushBody} and {@link FrameEncoder#encodeFlat} is
 * the one Jackson's generator wrote before, byte for byte: for random messages of every shape
 * (sync, state, group, terminal, extreme numbers, strings with escapes, control characters, U+2028,
 * characters outside the BMP and unpaired surrogates).
 */
class PushBodyBytesTest {

  @Test
  void randomMessagesGiveTheFrameTheGeneratorWrote() {
    Random random = new Random(20);
    for (int i = 0; i < 20_000; i++) {
      Message message = randomMessage(random);
      long seq = random.nextLong() & 0xFFFFFFFFL;

      Buffer flat = FrameEncoder.encodeFlat(Command.PUSH.code(), seq, message::writePushBody);

      assertEquals(hex(generated(seq, message)), hex(flat), message.toString());
      assertEquals(
          hex(FrameEncoder.encode(Command.PUSH.code(), seq, message.toPushBody())), hex(flat));
    }
  }

  @Test
  void aFrameIsExactlyItsHeaderAndBody() {
    Message message =
        new Message(1, Kind.S2C, "", 0, "u", 1, 1, "é".repeat(5_000), 1L, "l")
            .withState("read")
            .inGroup("g");

    Buffer flat = FrameEncoder.encodeFlat(Command.PUSH.code(), 1, message::writePushBody);

    assertEquals(flat.length() - 16, flat.getUnsignedInt(12));
    assertEquals(hex(generated(1, message)), hex(flat));
  }

  /** The PUSH frame as Jackson's generator wrote it until the bytes were written directly. */
  private static Buffer generated(long seq, Message message) {
    return FrameEncoder.encodeWith(
        Command.PUSH.code(), seq, json -> writeWithGenerator(message, json));
  }

  private static void writeWithGenerator(Message m, JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("msgid", Long.toString(m.msgid()));
    json.writeStringField("kind", m.kind().wire());
    json.writeStringField("from_uid", m.fromUid());
    json.writeNumberField("from_appcode", m.fromAppcode());
    json.writeStringField("to_uid", m.toUid());
    json.writeNumberField("to_appcode", m.toAppcode());
    json.writeNumberField("msgtype", m.msgtype());
    json.writeStringField("content", m.content());
    json.writeNumberField("senddate", m.senddate());
    json.writeStringField("logid", m.logid());
    if (m.sync()) {
      json.writeBooleanField("sync", true);
    }
    if (m.state() != null) {
      json.writeStringField("state", m.state());
    }
    if (m.groupId() != null) {
      json.writeStringField("group_id", m.groupId());
    }
    json.writeEndObject();
  }

  private static Message randomMessage(Random random) {
    Kind[] kinds = Kind.values();
    return new Message(
        random.nextBoolean() ? random.nextLong() & Long.MAX_VALUE : random.nextInt(1000),
        kinds[random.nextInt(kinds.length)],
        randomString(random, random.nextInt(20)),
        random.nextInt(65536),
        randomString(random, random.nextInt(20)),
        random.nextInt(65536),
        random.nextBoolean() ? random.nextInt(65536) : random.nextInt(),
        randomString(random, random.nextInt(8) == 0 ? random.nextInt(4_000) : random.nextInt(200)),
        random.nextBoolean() ? 1_700_000_000_000L + random.nextInt() : random.nextLong(),
        randomString(random, random.nextInt(40)),
        random.nextInt(3) == 0 ? random.nextInt(65536) : 0,
        random.nextBoolean(),
        random.nextBoolean() ? null : randomString(random, random.nextInt(10)),
        random.nextBoolean() ? null : randomString(random, random.nextInt(30)));
  }

  private static String randomString(Random random, int length) {
    StringBuilder text = new StringBuilder(length);
    while (text.length() < length) {
      switch (random.nextInt(8)) {
        case 0 -> text.append((char) random.nextInt(0x20));
        case 1 -> text.append("\"\\/\u007f\u2028\u2029".charAt(random.nextInt(6)));
        case 2 -> text.append((char) (0x80 + random.nextInt(0x800 - 0x80)));
        case 3 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
        case 4 -> text.append((char) (0xD800 + random.nextInt(0x800)));
        case 5 -> text.append((char) (0x800 + random.nextInt(0xF800)));
        default -> text.append((char) (0x20 + random.nextInt(0x60)));
      }
    }
    return text.toString();
  }

  private static String hex(Buffer buffer) {
    return HexFormat.of().formatHex(buffer.getBytes());
  }
}
