package io.courier.protocol;

import static io.courier.protocol.FrameDecoderTest.describe;
import static io.courier.protocol.FrameDecoderTest.header;
import static io.courier.protocol.FrameDecoderTest.violation;
import static io.courier.protocol.RandomCases.forAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.FrameDecoderTest.Recorder;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random streams for the frame decoder: raw bytes, and valid frames followed by every kind of bad
 * header, garbage or an incomplete frame, cut into chunks at random points. The decoder never
 * throws, reports the same events however the stream is cut, stops at its first violation, and
 * never holds more than a header and a maximum body: an oversize length is refused at its header.
 */
class FrameDecoderProperties {
  private static final int TRIES = 400;

  /** A small maximum, so that oversize announcements and full-size bodies are both cheap. */
  private static final int MAX_BODY = 64;

  /** Strictly above what {@link FrameDecoder#buffered()} may ever report. */
  private static final int BUFFER_BOUND = Wire.HEADER_LENGTH + MAX_BODY;

  private static final byte[] VALID_START = {'C', 'R', Wire.VERSION, Wire.FLAGS};

  /** A stream and the points where it is cut into chunks. */
  record Input(byte[] stream, List<Integer> cuts) {
    @Override
    public String toString() {
      return HexFormat.of().formatHex(stream) + " cut at " + cuts;
    }
  }

  /**
   * A part of a stream and the event the decoder must report for it, {@code null} for none; a
   * terminal piece is refused, and what follows it must be ignored.
   */
  record Piece(byte[] bytes, String event, boolean terminal) {
    @Override
    public String toString() {
      return HexFormat.of().formatHex(bytes) + " -> " + event;
    }
  }

  record Pieces(List<Piece> pieces, List<Integer> cuts) {
    /** The pieces, cut at random points. */
    static Pieces cutRandomly(List<Piece> pieces, Random random) {
      int length = new Pieces(pieces, List.of()).input().stream().length;
      return new Pieces(pieces, FrameDecoderProperties.cuts(random, length));
    }

    Input input() {
      Buffer all = Buffer.buffer();
      pieces.forEach(piece -> all.appendBytes(piece.bytes()));
      return new Input(all.getBytes(), cuts);
    }

    List<String> expectedEvents() {
      List<String> events = new ArrayList<>();
      for (Piece piece : pieces) {
        if (piece.event() != null) {
          events.add(piece.event());
        }
        if (piece.terminal()) {
          break;
        }
      }
      return events;
    }
  }

  @Test
  void arbitraryBytesCutAnywhereGiveTheSameEventsWithinTheBound() {
    forAll(
        TRIES,
        (random, size) -> {
          byte[] stream = bytesUpTo(random, 2 * size);
          if (random.nextBoolean() && stream.length >= VALID_START.length) {
            // past the magic, version and flags, so that the length and body are reached
            System.arraycopy(VALID_START, 0, stream, 0, VALID_START.length);
          }
          return new Input(stream, cuts(random, stream.length));
        },
        FrameDecoderProperties::checkCutsAndBound);
  }

  @Test
  void framesFollowedByBadInputCutAnywhereGiveTheExpectedEvents() {
    forAll(
        TRIES,
        FrameDecoderProperties::pieces,
        pieces -> assertEquals(pieces.expectedEvents(), checkCutsAndBound(pieces.input())));
  }

  @Test
  void validFramesCutAnywhereDecodeToTheSameFramesAndLeaveNothingBuffered() {
    forAll(
        TRIES,
        (random, size) -> {
          return Pieces.cutRandomly(frames(random, size), random);
        },
        pieces -> {
          Recorder sink = new Recorder();
          FrameDecoder decoder = new FrameDecoder(MAX_BODY, sink);

          feed(decoder, pieces.input());

          assertEquals(pieces.expectedEvents(), sink.events);
          assertEquals(0, decoder.buffered());
        });
  }

  @Test
  void anOversizeLengthIsRefusedAsSoonAsItsHeaderIsComplete() {
    forAll(
        TRIES,
        (random, size) -> {
          List<Piece> pieces = new ArrayList<>(frames(random, size));
          pieces.add(oversize(random));
          return new Pieces(pieces, List.of());
        },
        pieces -> {
          byte[] stream = pieces.input().stream();
          int headerEnd = stream.length;
          Recorder sink = new Recorder();
          FrameDecoder decoder = new FrameDecoder(MAX_BODY, sink);

          decoder.feed(Buffer.buffer(Arrays.copyOf(stream, headerEnd - 1)));
          assertEquals(pieces.pieces().size() - 1, sink.events.size(), "before the last byte");
          decoder.feed(Buffer.buffer(new byte[] {stream[headerEnd - 1]}));

          assertEquals(pieces.expectedEvents(), sink.events);
          assertEquals(0, decoder.buffered());
        });
  }

  /**
   * Feeds the stream whole, byte by byte and cut at the input's points: all three must report the
   * same events, at most one violation and only last, no body over the maximum, and hold fewer than
   * {@link #BUFFER_BOUND} bytes after every chunk. Returns the events.
   */
  private static List<String> checkCutsAndBound(Input input) {
    byte[] stream = input.stream();
    Recorder whole = new Recorder();
    feed(new FrameDecoder(MAX_BODY, whole), new Input(stream, List.of()));
    Recorder chunked = new Recorder();
    feed(new FrameDecoder(MAX_BODY, chunked), input);
    Recorder bytewise = new Recorder();
    FrameDecoder decoder = new FrameDecoder(MAX_BODY, bytewise);
    for (byte b : stream) {
      decoder.feed(Buffer.buffer(new byte[] {b}));
      assertTrue(decoder.buffered() < BUFFER_BOUND, "buffered " + decoder.buffered());
    }

    assertEquals(whole.events, chunked.events, "cut");
    assertEquals(whole.events, bytewise.events, "byte by byte");
    for (int i = 0; i < whole.events.size(); i++) {
      String event = whole.events.get(i);
      assertTrue(!event.startsWith("violation") || i == whole.events.size() - 1, "after " + event);
      assertTrue(!event.startsWith("frame") || bodyLength(event) <= MAX_BODY, event);
    }
    return whole.events;
  }

  /** Feeds the stream in the chunks between its cuts, checking the bound after each. */
  private static void feed(FrameDecoder decoder, Input input) {
    int from = 0;
    for (int cut : input.cuts()) {
      decoder.feed(Buffer.buffer(Arrays.copyOfRange(input.stream(), from, cut)));
      assertTrue(decoder.buffered() < BUFFER_BOUND, "buffered " + decoder.buffered());
      from = cut;
    }
    decoder.feed(Buffer.buffer(Arrays.copyOfRange(input.stream(), from, input.stream().length)));
    assertTrue(decoder.buffered() < BUFFER_BOUND, "buffered " + decoder.buffered());
  }

  private static int bodyLength(String frameEvent) {
    return (frameEvent.length() - frameEvent.indexOf("body=") - "body=".length()) / 2;
  }

  /** Up to 12 sorted points in {@code [0, length]}. */
  private static List<Integer> cuts(Random random, int length) {
    List<Integer> cuts = new ArrayList<>();
    int count = random.nextInt(13);
    for (int i = 0; i < count; i++) {
      cuts.add(random.nextInt(length + 1));
    }
    cuts.sort(null);
    return cuts;
  }

  /** Valid frames, then one of: nothing, a refused piece and garbage, an incomplete frame. */
  private static Pieces pieces(Random random, int size) {
    List<Piece> pieces = new ArrayList<>(frames(random, size));
    switch (random.nextInt(3)) {
      case 0 -> {}
      case 1 -> {
        pieces.add(bad(random));
        pieces.add(new Piece(bytesUpTo(random, size), null, false));
      }
      default -> {
        byte[] frame = frame(random, size).bytes();
        pieces.add(new Piece(Arrays.copyOf(frame, random.nextInt(frame.length)), null, false));
      }
    }
    return Pieces.cutRandomly(pieces, random);
  }

  private static List<Piece> frames(Random random, int size) {
    List<Piece> frames = new ArrayList<>();
    int count = random.nextInt(size / 20 + 1);
    for (int i = 0; i < count; i++) {
      frames.add(frame(random, size));
    }
    return frames;
  }

  /** A valid frame; the reserved field, which the decoder ignores, is random. */
  private static Piece frame(Random random, int size) {
    int cmd = random.nextInt(0x10000);
    long seq = seq(random);
    byte[] body = random.nextInt(8) == 0 ? bytes(random, MAX_BODY) : bytesUpTo(random, size);
    body = Arrays.copyOf(body, Math.min(body.length, MAX_BODY));
    Buffer frame =
        header(Wire.VERSION, Wire.FLAGS, cmd, random.nextInt(0x10000), seq, body.length)
            .appendBytes(body);
    return new Piece(frame.getBytes(), describe(cmd, seq, Buffer.buffer(body)), false);
  }

  /** A piece the decoder must refuse, with the violation it must report. */
  private static Piece bad(Random random) {
    int cmd = random.nextInt(0x10000);
    long seq = seq(random);
    long anyLength = random.nextLong() & 0xFFFFFFFFL;
    return switch (random.nextInt(5)) {
      case 0 -> {
        byte first = (byte) random.nextInt(256);
        yield first == 'C'
            ? bad(random)
            : new Piece(new byte[] {first}, violation(Code.BAD_REQUEST, 0), true);
      }
      case 1 -> {
        byte second = (byte) random.nextInt(256);
        yield second == 'R'
            ? bad(random)
            : new Piece(new byte[] {'C', second}, violation(Code.BAD_REQUEST, 0), true);
      }
      case 2 -> {
        int version = random.nextInt(256);
        yield version == Wire.VERSION
            ? bad(random)
            : new Piece(
                header(version, random.nextInt(256), cmd, 0, seq, anyLength).getBytes(),
                violation(Code.UNSUPPORTED_VERSION, seq),
                true);
      }
      case 3 ->
          new Piece(
              header(Wire.VERSION, 1 + random.nextInt(255), cmd, 0, seq, anyLength).getBytes(),
              violation(Code.BAD_REQUEST, seq),
              true);
      default -> oversize(random);
    };
  }

  /** A header announcing more than the maximum: one over it, the 32-bit maximum, or between. */
  private static Piece oversize(Random random) {
    long seq = seq(random);
    long length =
        switch (random.nextInt(4)) {
          case 0 -> MAX_BODY + 1L;
          case 1 -> 0xFFFFFFFFL;
          default -> MAX_BODY + 1L + (random.nextLong() & 0x7FFFFFFFL);
        };
    return new Piece(
        header(Wire.VERSION, Wire.FLAGS, random.nextInt(0x10000), 0, seq, length).getBytes(),
        violation(Code.TOO_LARGE, seq),
        true);
  }

  /** An unsigned 32-bit seq, its two ends more often than chance would give them. */
  private static long seq(Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> 0;
      case 1 -> 0xFFFFFFFFL;
      default -> random.nextLong() & 0xFFFFFFFFL;
    };
  }

  /** 0 to {@code max} random bytes. */
  private static byte[] bytesUpTo(Random random, int max) {
    return bytes(random, random.nextInt(max + 1));
  }

  private static byte[] bytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
