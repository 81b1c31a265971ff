package io.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden bytes of protocol v1 (protocol.md section 3), written by hand from the spec so that the
 * encoder cannot drift from the text. {@link FrameDecoderTest} decodes the same bytes.
 *
 * <p>Each header is spelled field by field: magic, version, flags, cmd, reserved, seq, length. The
 * body is the exact JSON text (JsonObject keeps insertion order, so the text round-trips
 * unchanged).
 */
class FrameEncoderTest {

  /** One frame of the spec: what the encoder is given, and the bytes it must produce. */
  record Golden(String name, int cmd, long seq, String body, Buffer bytes) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Golden> GOLDEN =
      List.of(
          golden(
              "LOGIN",
              0x0001,
              1,
              "4352 01 00 0001 0000 00000001 00000040",
              "{\"uid\":\"alice\",\"appcode\":101,\"token\":\"eyJ.x.y\",\"device_id\":\"d1\"}"),
          golden(
              "LOGIN response",
              0x8001,
              1,
              "4352 01 00 8001 0000 00000001 00000045",
              "{\"code\":0,\"session\":\"s-1\",\"heartbeat\":30,\"server_time\":1700000000000}"),
          golden("LOGOUT", 0x0002, 2, "4352 01 00 0002 0000 00000002 00000000", null),
          golden(
              "LOGOUT response",
              0x8002,
              2,
              "4352 01 00 8002 0000 00000002 0000000A",
              "{\"code\":0}"),
          golden("PING", 0x0003, 3, "4352 01 00 0003 0000 00000003 00000000", null),
          golden(
              "PING response",
              0x8003,
              3,
              "4352 01 00 8003 0000 00000003 00000026",
              "{\"code\":0,\"server_time\":1700000000000}"),
          golden(
              "C2S",
              0x0010,
              0x10,
              "4352 01 00 0010 0000 00000010 00000031",
              "{\"msgtype\":7,\"content\":\"hi\",\"logid\":\"trace-0001\"}"),
          golden(
              "C2C",
              0x0011,
              0x11,
              "4352 01 00 0011 0000 00000011 00000049",
              "{\"to_uid\":\"bob\",\"to_appcode\":101,\"cmid\":\"c-1\",\"msgtype\":1,\"content\":\"hi\"}"),
          golden(
              "PUSH",
              0x0020,
              0x01020304L,
              "4352 01 00 0020 0000 01020304 000000AA",
              "{\"msgid\":\"42\",\"kind\":\"c2c\",\"from_uid\":\"alice\",\"from_appcode\":101,\"to_uid\":\"bob\","
                  + "\"to_appcode\":101,\"msgtype\":1,\"content\":\"hi\",\"senddate\":1700000000000,\"logid\":\"trace-0001\"}"),
          golden(
              "PUSH ack",
              0x8020,
              0x01020304L,
              "4352 01 00 8020 0000 01020304 0000000E",
              "{\"msgid\":\"42\"}"),
          golden(
              "PULL",
              0x0030,
              0x30,
              "4352 01 00 0030 0000 00000030 00000019",
              "{\"after\":\"41\",\"limit\":50}"),
          golden(
              "OFFLINE_ACK",
              0x0031,
              0x31,
              "4352 01 00 0031 0000 00000031 0000000D",
              "{\"upto\":\"42\"}"),
          golden(
              "HISTORY",
              0x0032,
              0x32,
              "4352 01 00 0032 0000 00000032 0000002B",
              "{\"peer_uid\":\"bob\",\"before\":\"42\",\"limit\":20}"),
          golden(
              "KICK",
              0x0040,
              0x80000000L,
              "4352 01 00 0040 0000 80000000 0000001E",
              "{\"code\":4001,\"msg\":\"replaced\"}"),
          golden(
              "ERROR",
              0x00FF,
              0,
              "4352 01 00 00FF 0000 00000000 0000001E",
              "{\"code\":400,\"msg\":\"bad magic\"}"),
          golden(
              "seq 0xFFFFFFFF",
              0x0003,
              0xFFFFFFFFL,
              "4352 01 00 0003 0000 FFFFFFFF 00000000",
              null),
          // length counts UTF-8 bytes, not chars: é is 2 bytes, each of 你好 is 3 (19 chars, 27
          // bytes)
          golden(
              "non-ASCII body",
              0x0011,
              7,
              "4352 01 00 0011 0000 00000007 0000001B",
              "{\"content\":\"héllo 你好\"}"));

  static Golden golden(String name, int cmd, long seq, String headerHex, String body) {
    Buffer bytes = hex(headerHex);
    if (body != null) {
      bytes.appendBytes(body.getBytes(StandardCharsets.UTF_8));
    }
    return new Golden(name, cmd, seq, body, bytes);
  }

  /** Bytes from hex digits; spaces are for reading only. */
  static Buffer hex(String digits) {
    return Buffer.buffer(HexFormat.of().parseHex(digits.replace(" ", "")));
  }

  static String hex(Buffer bytes) {
    return HexFormat.of().withUpperCase().formatHex(bytes.getBytes());
  }

  static List<Golden> golden() {
    return GOLDEN;
  }

  static Golden named(String name) {
    return GOLDEN.stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("golden")
  void encodesGoldenBytes(Golden golden) {
    JsonObject body = golden.body() == null ? null : new JsonObject(golden.body());

    Buffer encoded = FrameEncoder.encode(golden.cmd(), golden.seq(), body);

    assertEquals(hex(golden.bytes()), hex(encoded));
  }

  @Test
  void pushOfAMessageIsWrittenWithoutBuildingItsBody() {
    Message message =
        new Message(
            42, Kind.C2C, "alice", 101, "bob", 101, 1, "hi", 1_700_000_000_000L, "trace-0001");

    Buffer encoded =
        FrameEncoder.encodeFlat(Command.PUSH.code(), 0x01020304L, message::writePushBody);

    assertEquals(hex(named("PUSH").bytes()), hex(encoded));
  }

  @Test
  void aPushStreamedAndAPushBuiltAsAnObjectAreTheSameBytes() {
    Message message =
        new Message(
            Long.MAX_VALUE,
            Kind.S2C,
            "",
            0,
            "driver-17",
            65535,
            65535,
            "\"quoted\" é \u2028 <font>",
            Long.MAX_VALUE,
            "0123456789abcdef");

    Buffer streamed = FrameEncoder.encodeFlat(Command.PUSH.code(), 9, message::writePushBody);
    Buffer built = FrameEncoder.encode(Command.PUSH.code(), 9, message.toPushBody());

    assertEquals(hex(built), hex(streamed));
  }

  @Test
  void aQos0PushIsThePushBodyWithQos0Last() {
    Message message =
        new Message(
            7,
            Kind.S2C,
            "",
            0,
            "driver-17",
            201,
            2,
            "lat=1,lng=2",
            1_700_000_000_000L,
            "trace-0002");

    Buffer streamed = FrameEncoder.encodeFlat(Command.PUSH.code(), 3, message::writeQos0PushBody);
    Buffer built = FrameEncoder.encode(Command.PUSH.code(), 3, message.toPushBody().put("qos", 0));

    assertEquals(hex(built), hex(streamed));
  }

  @Test
  void aBodyLongerThanTheInitialBufferIsWrittenWhole() {
    String content = "é".repeat(5_000);

    Buffer encoded = FrameEncoder.encode(0x0011, 7, new JsonObject().put("content", content));

    assertEquals(Wire.HEADER_LENGTH + encoded.getUnsignedInt(12), encoded.length());
    assertEquals(
        content,
        new JsonObject(encoded.getBuffer(Wire.HEADER_LENGTH, encoded.length()))
            .getString("content"));
  }

  @Test
  void responseSetsTheResponseBitAndKeepsTheRequestSeq() {
    Buffer encoded = FrameEncoder.response(Command.LOGOUT, 2, new JsonObject().put("code", 0));

    assertEquals(
        "4352010080020000000000020000000A" + hex(Buffer.buffer("{\"code\":0}")), hex(encoded));
  }

  @Test
  void pushAckIsTheResponseOfPush() {
    Buffer encoded =
        FrameEncoder.response(Command.PUSH, 0x01020304L, new JsonObject().put("msgid", "42"));

    assertEquals(hex(named("PUSH ack").bytes()), hex(encoded));
  }

  @Test
  void pushAckIsWrittenAsTheGoldenAck() {
    assertEquals(hex(named("PUSH ack").bytes()), hex(FrameEncoder.pushAck(0x01020304L, "42")));
  }

  @ParameterizedTest
  @EnumSource(Command.class)
  void everyResponseUsesCmdOr0x8000(Command command) {
    Buffer encoded = FrameEncoder.response(command, 5, new JsonObject().put("code", 0));

    assertEquals(command.code() | 0x8000, encoded.getUnsignedShort(4));
    assertEquals(5, encoded.getUnsignedInt(8));
  }

  @Test
  void nullBodyHasLengthZeroAndNoBodyBytes() {
    Buffer encoded = FrameEncoder.encode(0x0003, 9, (JsonObject) null);

    assertEquals("43520100000300000000000900000000", hex(encoded));
  }

  /**
   * Protocol.md allows either form for "no fields" (length 0 is treated as {@code {}}), so this
   * pins only what a receiver sees: an empty object.
   */
  @Test
  void emptyBodyIsReceivedAsAnEmptyObject() throws MalformedBodyException {
    Buffer encoded = FrameEncoder.encode(0x0002, 2, new JsonObject());

    long length = encoded.getUnsignedInt(12);
    assertEquals(Wire.HEADER_LENGTH + length, encoded.length());
    assertEquals(
        new JsonObject(),
        BodyParser.parse(encoded.getBuffer(Wire.HEADER_LENGTH, encoded.length())));
  }

  @Test
  void seqIsUnsigned32Bit() {
    Buffer encoded = FrameEncoder.encode(0x0003, 0xFFFFFFFFL, (JsonObject) null);

    assertEquals("FFFFFFFF", hex(encoded.getBuffer(8, 12)));
  }
}
