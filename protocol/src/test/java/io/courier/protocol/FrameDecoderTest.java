package io.courier.protocol;

import static io.courier.protocol.FrameEncoderTest.hex;
import static io.courier.protocol.FrameEncoderTest.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.FrameEncoderTest.Golden;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decodes the hand-written golden frames of {@link FrameEncoderTest}, split and coalesced in every
 * way a TCP stream can deliver them, and checks each header rule of protocol.md sections 3
 * (framing) and 5 (when the server closes).
 */
class FrameDecoderTest {

  private static final int MAX = Wire.DEFAULT_MAX_BODY;

  private final Recorder sink = new Recorder();
  private final FrameDecoder decoder = new FrameDecoder(MAX, sink);

  /**
   * Keeps what the decoder reports, in order; frames and violations are rendered to comparable
   * text.
   */
  static final class Recorder implements FrameDecoder.Sink {
    final List<String> events = new ArrayList<>();

    @Override
    public void frame(Frame frame) {
      events.add(describe(frame.cmd(), frame.seq(), frame.body()));
    }

    @Override
    public void violation(FrameViolation violation) {
      events.add(FrameDecoderTest.violation(violation.code(), violation.seq()));
    }
  }

  static String describe(int cmd, long seq, Buffer body) {
    return String.format("frame cmd=%04X seq=%d body=%s", cmd, seq, hex(body));
  }

  static String expected(Golden golden) {
    Buffer body =
        golden.body() == null
            ? Buffer.buffer()
            : Buffer.buffer(golden.body().getBytes(StandardCharsets.UTF_8));
    return describe(golden.cmd(), golden.seq(), body);
  }

  static String violation(Code code, long seq) {
    return "violation " + code + " seq=" + seq;
  }

  static List<Golden> golden() {
    return FrameEncoderTest.GOLDEN;
  }

  /** All golden frames back to back, as one stream. */
  static Buffer stream() {
    Buffer all = Buffer.buffer();
    FrameEncoderTest.GOLDEN.forEach(g -> all.appendBuffer(g.bytes()));
    return all;
  }

  static List<String> expectedStream() {
    return FrameEncoderTest.GOLDEN.stream().map(FrameDecoderTest::expected).toList();
  }

  /** A 16-byte header with the given fields; magic "CR" unless the caller overwrites it. */
  static Buffer header(int version, int flags, int cmd, int reserved, long seq, long length) {
    return Buffer.buffer()
        .appendUnsignedShort(0x4352)
        .appendUnsignedByte((short) version)
        .appendUnsignedByte((short) flags)
        .appendUnsignedShort(cmd)
        .appendUnsignedShort(reserved)
        .appendUnsignedInt(seq)
        .appendUnsignedInt(length);
  }

  private void feedByteByByte(Buffer bytes) {
    for (int i = 0; i < bytes.length(); i++) {
      decoder.feed(bytes.getBuffer(i, i + 1));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("golden")
  void decodesGoldenFrame(Golden golden) {
    decoder.feed(golden.bytes().copy());

    assertEquals(List.of(expected(golden)), sink.events);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("golden")
  void decodesGoldenFrameFedByteByByte(Golden golden) {
    feedByteByByte(golden.bytes());

    assertEquals(List.of(expected(golden)), sink.events);
  }

  @Test
  void decodesManyFramesCoalescedInOneBuffer() {
    decoder.feed(stream());

    assertEquals(expectedStream(), sink.events);
  }

  @Test
  void decodesWholeStreamFedByteByByte() {
    feedByteByByte(stream());

    assertEquals(expectedStream(), sink.events);
  }

  @Test
  void decodesStreamCutIntoTwoChunksAtEveryPosition() {
    Buffer stream = stream();
    for (int cut = 0; cut <= stream.length(); cut++) {
      Recorder recorder = new Recorder();
      FrameDecoder fresh = new FrameDecoder(MAX, recorder);

      fresh.feed(stream.getBuffer(0, cut));
      fresh.feed(stream.getBuffer(cut, stream.length()));

      assertEquals(expectedStream(), recorder.events, "cut at " + cut);
    }
  }

  @Test
  void responseFramesAreRecognisedByTheirCmd() {
    List<Frame> frames = new ArrayList<>();
    FrameDecoder capturing =
        new FrameDecoder(
            MAX,
            new FrameDecoder.Sink() {
              @Override
              public void frame(Frame frame) {
                frames.add(frame);
              }

              @Override
              public void violation(FrameViolation violation) {
                throw new AssertionError(violation.toString());
              }
            });

    capturing.feed(named("LOGIN").bytes());
    capturing.feed(named("LOGIN response").bytes());

    assertFalse(frames.get(0).isResponse());
    assertTrue(frames.get(1).isResponse());
  }

  @Test
  void seqIsUnsigned32Bit() {
    decoder.feed(named("seq 0xFFFFFFFF").bytes());

    assertEquals(List.of(describe(0x0003, 4294967295L, Buffer.buffer())), sink.events);
  }

  @Test
  void zeroLengthBodyGivesAnEmptyBody() {
    decoder.feed(header(1, 0, 0x0003, 0, 77, 0));

    assertEquals(List.of(describe(0x0003, 77, Buffer.buffer())), sink.events);
  }

  @Test
  void bodyOneOverTheMaximumIsRejectedRightAfterTheHeaderWithoutWaitingForTheBody() {
    Buffer header = header(1, 0, 0x0011, 0, 0xFFFFFFFEL, MAX + 1L);

    decoder.feed(header.getBuffer(0, 15));
    assertEquals(List.of(), sink.events, "nothing before the header is complete");

    decoder.feed(header.getBuffer(15, 16));
    assertEquals(List.of(violation(Code.TOO_LARGE, 0xFFFFFFFEL)), sink.events);
  }

  @Test
  void bodyOf4GiBAnnouncedIsRejectedRightAfterTheHeader() {
    // if the decoder tried to allocate or wait for 4 GiB, this would fail or report nothing
    decoder.feed(header(1, 0, 0x0011, 0, 12, 0xFFFFFFFFL));

    assertEquals(List.of(violation(Code.TOO_LARGE, 12)), sink.events);
  }

  @Test
  void oversizeBodyBytesThatFollowTheHeaderAreIgnored() {
    decoder.feed(
        header(1, 0, 0x0011, 0, 12, MAX + 1L).appendBuffer(Buffer.buffer(new byte[MAX + 1])));
    decoder.feed(named("PING").bytes());

    assertEquals(List.of(violation(Code.TOO_LARGE, 12)), sink.events);
  }

  @Test
  void bodyOfExactlyTheMaximumIsAccepted() {
    Buffer body = Buffer.buffer(new byte[MAX]);

    decoder.feed(header(1, 0, 0x0011, 0, 5, MAX).appendBuffer(body));

    assertEquals(List.of(describe(0x0011, 5, body)), sink.events);
  }

  @Test
  void configuredMaximumIsEnforced() {
    FrameDecoder small = new FrameDecoder(10, sink);

    small.feed(header(1, 0, 0x0003, 0, 1, 10).appendBuffer(Buffer.buffer("0123456789")));
    small.feed(header(1, 0, 0x0003, 0, 2, 11));

    assertEquals(
        List.of(describe(0x0003, 1, Buffer.buffer("0123456789")), violation(Code.TOO_LARGE, 2)),
        sink.events);
  }

  @Test
  void wrongFirstMagicByteIsRejectedAtOnceWithSeqZero() {
    decoder.feed(hex("52"));

    assertEquals(List.of(violation(Code.BAD_REQUEST, 0)), sink.events);
  }

  @Test
  void wrongSecondMagicByteIsRejectedAtOnceWithSeqZero() {
    decoder.feed(hex("43"));
    assertEquals(List.of(), sink.events, "a correct first byte alone is not an error");

    decoder.feed(hex("43"));
    assertEquals(List.of(violation(Code.BAD_REQUEST, 0)), sink.events);
  }

  @Test
  void wrongMagicInAFullHeaderIsRejectedWithSeqZeroNotTheHeadersSeq() {
    decoder.feed(hex("4752 01 00 0001 0000 00000009 00000000"));

    assertEquals(List.of(violation(Code.BAD_REQUEST, 0)), sink.events);
  }

  @Test
  void wrongMagicAfterAGoodFrameIsRejectedAfterThatFrameIsDelivered() {
    decoder.feed(named("PING").bytes().copy().appendBuffer(hex("0000")));

    assertEquals(List.of(expected(named("PING")), violation(Code.BAD_REQUEST, 0)), sink.events);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2, 0xFF})
  void versionOtherThanOneIsRejectedWith426AndTheHeadersSeq(int version) {
    decoder.feed(header(version, 0, 0x0001, 0, 31, 0));

    assertEquals(List.of(violation(Code.UNSUPPORTED_VERSION, 31)), sink.events);
  }

  @ParameterizedTest
  @ValueSource(ints = {0x01, 0x80, 0xFF})
  void nonZeroFlagsAreRejectedWith400AndTheHeadersSeq(int flags) {
    decoder.feed(header(1, flags, 0x0001, 0, 32, 0));

    assertEquals(List.of(violation(Code.BAD_REQUEST, 32)), sink.events);
  }

  /**
   * Decision (docs): the reserved field is ignored, so a later version may use it without breaking
   * v1 peers.
   */
  @Test
  void nonZeroReservedFieldIsAccepted() {
    decoder.feed(header(1, 0, 0x0003, 0xABCD, 33, 2).appendBuffer(Buffer.buffer("{}")));

    assertEquals(List.of(describe(0x0003, 33, Buffer.buffer("{}"))), sink.events);
  }

  @Test
  void afterAViolationFurtherInputYieldsNothing() {
    decoder.feed(header(2, 0, 0x0001, 0, 40, 0));
    decoder.feed(named("LOGIN").bytes());
    decoder.feed(hex("00"));
    decoder.feed(stream());

    assertEquals(List.of(violation(Code.UNSUPPORTED_VERSION, 40)), sink.events);
  }

  @Test
  void framesAfterAViolationInTheSameChunkAreNotDelivered() {
    Buffer chunk =
        named("PING")
            .bytes()
            .copy()
            .appendBuffer(header(1, 1, 0x0003, 0, 41, 0))
            .appendBuffer(named("LOGIN").bytes());

    decoder.feed(chunk);

    assertEquals(List.of(expected(named("PING")), violation(Code.BAD_REQUEST, 41)), sink.events);
  }

  @Test
  void stopMakesTheDecoderIgnoreInput() {
    Buffer login = named("LOGIN").bytes();
    decoder.feed(login.getBuffer(0, 20));

    decoder.stop();
    decoder.feed(login.getBuffer(20, login.length()));
    decoder.feed(stream());
    decoder.feed(hex("FFFF"));

    assertEquals(List.of(), sink.events);
  }

  @Test
  void doesNotModifyTheCallersBuffers() {
    Buffer stream = stream();
    List<Buffer> chunks =
        List.of(
            stream.getBuffer(0, 7),
            stream.getBuffer(7, 100),
            stream.getBuffer(100, 101),
            stream.getBuffer(101, stream.length()));
    List<String> before = chunks.stream().map(FrameEncoderTest::hex).toList();

    chunks.forEach(decoder::feed);

    assertEquals(before, chunks.stream().map(FrameEncoderTest::hex).toList());
    assertEquals(expectedStream(), sink.events);
  }

  @Test
  void doesNotModifyTheCallersBufferOnAViolation() {
    Buffer chunk = named("PING").bytes().copy().appendBuffer(header(0, 0, 0x0003, 0, 1, 0));
    String before = hex(chunk);

    decoder.feed(chunk);

    assertEquals(before, hex(chunk));
    assertTrue(sink.events.contains(violation(Code.UNSUPPORTED_VERSION, 1)));
  }
}
