package io.courier.bench;

import static io.courier.bench.Fuzzer.require;

import io.courier.protocol.Code;
import io.courier.protocol.Frame;
import io.courier.protocol.FrameDecoder;
import io.courier.protocol.FrameViolation;
import io.courier.protocol.Wire;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * {@code fuzz --target decoder} and FrameDecoderProperties: streams of raw bytes, of valid frames
 * only, of valid frames followed by a refused header, garbage or an incomplete frame, and of valid
 * frames followed by an oversize header, cut at random points, for a decoder with a random maximum
 * body. Fed whole, byte by byte and in the cut chunks, the decoder must report the same events
 * (those the pieces announce, for a stream of pieces), at most one violation and only last, no body
 * over the maximum, and hold fewer than a header plus the maximum after every chunk. After valid
 * frames only it holds nothing; an oversize length is refused as soon as its header is complete.
 */
final class DecoderFuzzer implements Fuzzer<DecoderFuzzer.Input> {
  private static final int LARGEST_MAX_BODY = 256;
  private static final byte[] VALID_START = {'C', 'R', Wire.VERSION, Wire.FLAGS};

  /** What the decoder must show once the whole stream is in, beyond the events. */
  enum Ending {
    /** Nothing more is known: the stream may stop anywhere. */
    ANY,
    /** The stream is whole frames: nothing is left held. */
    DRAINED,
    /**
     * The stream ends with an oversize header: its violation comes with the header's last byte, not
     * before, and nothing is left held.
     */
    REFUSED_AT_LAST_BYTE
  }

  /**
   * A stream, where it is cut, the decoder's maximum body, the events it must report (null: only
   * the same events however it is cut), and how it must end.
   */
  record Input(
      byte[] stream, List<Integer> cuts, int maxBody, List<String> expected, Ending ending) {}

  /** A part of a stream and its event ({@code null}: none); a terminal piece is refused. */
  private record Piece(byte[] bytes, String event, boolean terminal) {}

  /** What the decoder reported, and what it held once the stream was in. */
  private record Decoded(List<String> events, int held) {}

  @Override
  public Input next(Random random, int size) {
    return switch (random.nextInt(4)) {
      case 0 -> arbitraryBytes(random, size);
      case 1 -> framesThenBadInput(random, size);
      case 2 -> validFrames(random, size);
      default -> framesThenOversize(random, size);
    };
  }

  /** Random bytes, half of them starting as a valid header does, so that lengths are reached. */
  static Input arbitraryBytes(Random random, int size) {
    int maxBody = maxBody(random);
    byte[] stream = bytesUpTo(random, 2 * size);
    if (random.nextBoolean() && stream.length >= VALID_START.length) {
      System.arraycopy(VALID_START, 0, stream, 0, VALID_START.length);
    }
    return new Input(stream, cuts(random, stream.length), maxBody, null, Ending.ANY);
  }

  /** Valid frames, then one of: nothing, a refused piece and garbage, an incomplete frame. */
  static Input framesThenBadInput(Random random, int size) {
    int maxBody = maxBody(random);
    List<Piece> pieces = frames(random, size, maxBody);
    Ending ending = Ending.ANY;
    switch (random.nextInt(3)) {
      case 0 -> ending = Ending.DRAINED;
      case 1 -> {
        pieces.add(bad(random, maxBody));
        pieces.add(new Piece(bytesUpTo(random, size), null, false));
      }
      default -> {
        byte[] frame = frame(random, size, maxBody).bytes();
        pieces.add(new Piece(Arrays.copyOf(frame, random.nextInt(frame.length)), null, false));
      }
    }
    return input(random, pieces, maxBody, ending);
  }

  static Input validFrames(Random random, int size) {
    int maxBody = maxBody(random);
    return input(random, frames(random, size, maxBody), maxBody, Ending.DRAINED);
  }

  static Input framesThenOversize(Random random, int size) {
    int maxBody = maxBody(random);
    List<Piece> pieces = frames(random, size, maxBody);
    pieces.add(oversize(random, maxBody));
    return input(random, pieces, maxBody, Ending.REFUSED_AT_LAST_BYTE);
  }

  @Override
  public void check(Input input) {
    Decoded whole = decode(input, List.of());
    List<String> events = whole.events();
    List<String> chunked = decode(input, input.cuts()).events();
    List<String> bytewise = decode(input, null).events();
    require(chunked.equals(events), () -> "cut: " + chunked + " whole: " + events);
    require(bytewise.equals(events), () -> "byte by byte: " + bytewise + " whole: " + events);
    if (input.expected() != null) {
      require(events.equals(input.expected()), () -> events + " expected " + input.expected());
    }
    for (int i = 0; i < events.size(); i++) {
      int at = i;
      require(
          !events.get(i).startsWith("violation") || i == events.size() - 1,
          () -> "event after " + events.get(at));
    }
    if (input.ending() != Ending.ANY) {
      require(whole.held() == 0, () -> "holds " + whole.held() + " bytes at the end");
    }
    if (input.ending() == Ending.REFUSED_AT_LAST_BYTE) {
      byte[] stream = input.stream();
      Input cut =
          new Input(
              Arrays.copyOf(stream, stream.length - 1),
              List.of(),
              input.maxBody(),
              null,
              Ending.ANY);
      List<String> before = decode(cut, List.of()).events();
      require(
          before.equals(events.subList(0, events.size() - 1)),
          () -> "before the header's last byte: " + before);
    }
  }

  @Override
  public byte[] bytes(Input input) {
    return input.stream();
  }

  @Override
  public String detail(Input input) {
    return "maximum body " + input.maxBody() + ", cut at " + input.cuts();
  }

  private static int maxBody(Random random) {
    return random.nextInt(LARGEST_MAX_BODY + 1);
  }

  /** The pieces in one stream, cut at random points, with the events up to the refused one. */
  private static Input input(Random random, List<Piece> pieces, int maxBody, Ending ending) {
    Buffer stream = Buffer.buffer();
    List<String> expected = new ArrayList<>();
    boolean refused = false;
    for (Piece piece : pieces) {
      stream.appendBytes(piece.bytes());
      if (!refused && piece.event() != null) {
        expected.add(piece.event());
      }
      refused |= piece.terminal();
    }
    return new Input(stream.getBytes(), cuts(random, stream.length()), maxBody, expected, ending);
  }

  /**
   * Feeds the stream in the chunks between {@code cuts}, byte by byte if null, checking the bound
   * on what the decoder holds and on the bodies it reports.
   */
  private static Decoded decode(Input input, List<Integer> cuts) {
    List<String> events = new ArrayList<>();
    int maxBody = input.maxBody();
    FrameDecoder decoder =
        new FrameDecoder(
            maxBody,
            new FrameDecoder.Sink() {
              @Override
              public void frame(Frame frame) {
                require(
                    frame.body().length() <= maxBody,
                    () -> "body of " + frame.body().length() + " bytes");
                events.add(describe(frame.cmd(), frame.seq(), frame.body().getBytes()));
              }

              @Override
              public void violation(FrameViolation violation) {
                events.add(DecoderFuzzer.violation(violation.code(), violation.seq()));
              }
            });
    byte[] stream = input.stream();
    List<Integer> points = new ArrayList<>();
    if (cuts == null) {
      for (int i = 1; i < stream.length; i++) {
        points.add(i);
      }
    } else {
      points.addAll(cuts);
    }
    points.add(stream.length);
    int from = 0;
    for (int point : points) {
      decoder.feed(Buffer.buffer(Arrays.copyOfRange(stream, from, point)));
      require(
          decoder.buffered() < Wire.HEADER_LENGTH + maxBody,
          () -> "holds " + decoder.buffered() + " bytes");
      from = point;
    }
    return new Decoded(events, decoder.buffered());
  }

  private static String describe(int cmd, long seq, byte[] body) {
    return String.format("frame cmd=%04X seq=%d body=%s", cmd, seq, HexFormat.of().formatHex(body));
  }

  private static String violation(Code code, long seq) {
    return "violation " + code + " seq=" + seq;
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

  private static List<Piece> frames(Random random, int size, int maxBody) {
    List<Piece> frames = new ArrayList<>();
    int count = random.nextInt(size / 20 + 1);
    for (int i = 0; i < count; i++) {
      frames.add(frame(random, size, maxBody));
    }
    return frames;
  }

  /** A valid frame; the reserved field, which the decoder ignores, is random. */
  private static Piece frame(Random random, int size, int maxBody) {
    int cmd = random.nextInt(0x10000);
    long seq = seq(random);
    byte[] body = random.nextInt(8) == 0 ? bytes(random, maxBody) : bytesUpTo(random, size);
    body = Arrays.copyOf(body, Math.min(body.length, maxBody));
    Buffer frame =
        header(Wire.VERSION, Wire.FLAGS, cmd, random.nextInt(0x10000), seq, body.length)
            .appendBytes(body);
    return new Piece(frame.getBytes(), describe(cmd, seq, body), false);
  }

  /** A piece the decoder must refuse, with the violation it must report. */
  private static Piece bad(Random random, int maxBody) {
    int cmd = random.nextInt(0x10000);
    long seq = seq(random);
    long anyLength = random.nextLong() & 0xFFFFFFFFL;
    return switch (random.nextInt(5)) {
      case 0 -> {
        byte first = (byte) random.nextInt(256);
        yield first == 'C'
            ? bad(random, maxBody)
            : new Piece(new byte[] {first}, violation(Code.BAD_REQUEST, 0), true);
      }
      case 1 -> {
        byte second = (byte) random.nextInt(256);
        yield second == 'R'
            ? bad(random, maxBody)
            : new Piece(new byte[] {'C', second}, violation(Code.BAD_REQUEST, 0), true);
      }
      case 2 -> {
        int version = random.nextInt(256);
        yield version == Wire.VERSION
            ? bad(random, maxBody)
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
      default -> oversize(random, maxBody);
    };
  }

  /** A header announcing more than the maximum: one over it, the 32-bit maximum, or between. */
  private static Piece oversize(Random random, int maxBody) {
    long seq = seq(random);
    long length =
        switch (random.nextInt(4)) {
          case 0 -> maxBody + 1L;
          case 1 -> 0xFFFFFFFFL;
          default -> maxBody + 1L + (random.nextLong() & 0x7FFFFFFFL);
        };
    return new Piece(
        header(Wire.VERSION, Wire.FLAGS, random.nextInt(0x10000), 0, seq, length).getBytes(),
        violation(Code.TOO_LARGE, seq),
        true);
  }

  private static Buffer header(int version, int flags, int cmd, int reserved, long seq, long len) {
    return Buffer.buffer()
        .appendUnsignedShort(Wire.MAGIC)
        .appendUnsignedByte((short) version)
        .appendUnsignedByte((short) flags)
        .appendUnsignedShort(cmd)
        .appendUnsignedShort(reserved)
        .appendUnsignedInt(seq)
        .appendUnsignedInt(len);
  }

  /** An unsigned 32-bit seq, its two ends more often than chance would give them. */
  private static long seq(Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> 0;
      case 1 -> 0xFFFFFFFFL;
      default -> random.nextLong() & 0xFFFFFFFFL;
    };
  }

  private static byte[] bytesUpTo(Random random, int max) {
    return bytes(random, random.nextInt(max + 1));
  }

  private static byte[] bytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
