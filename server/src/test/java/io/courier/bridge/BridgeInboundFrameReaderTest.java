package io.courier.bridge;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link InboundFrameReader}: framing split and coalesced in every way, and the length bound. */
class BridgeInboundFrameReaderTest {
  private final List<String> bodies = new ArrayList<>();
  private final List<Long> tooLarge = new ArrayList<>();
  private final InboundFrameReader reader =
      new InboundFrameReader(
          16,
          new InboundFrameReader.Sink() {
            @Override
            public void frame(Buffer frame) {
              assertEquals(
                  frame.length() - 4, frame.getInt(0), "the frame keeps its length prefix");
              bodies.add(frame.getBuffer(4, frame.length()).toString(UTF_8));
            }

            @Override
            public void tooLarge(long length) {
              tooLarge.add(length);
            }
          });

  private static Buffer frame(String body) {
    byte[] bytes = body.getBytes(UTF_8);
    return Buffer.buffer().appendInt(bytes.length).appendBytes(bytes);
  }

  @Test
  void readsFramesFedByteByByte() {
    Buffer stream = frame("{\"a\":1}").appendBuffer(frame("")).appendBuffer(frame("x"));
    for (int i = 0; i < stream.length(); i++) {
      reader.feed(stream.getBuffer(i, i + 1));
    }
    assertEquals(List.of("{\"a\":1}", "", "x"), bodies);
  }

  @Test
  void readsFramesCoalescedAndSplitAtEveryPoint() {
    Buffer stream = frame("first").appendBuffer(frame("second")).appendBuffer(frame("3"));
    for (int cut = 0; cut <= stream.length(); cut++) {
      bodies.clear();
      reader.feed(stream.getBuffer(0, cut));
      reader.feed(stream.getBuffer(cut, stream.length()));
      assertEquals(List.of("first", "second", "3"), bodies, "cut at " + cut);
    }
  }

  @Test
  void doesNotKeepTheCallersChunk() {
    Buffer chunk = frame("abcdef").getBuffer(0, 6);
    reader.feed(chunk);
    chunk.setByte(5, (byte) 'Z');
    reader.feed(frame("abcdef").getBuffer(6, 10));
    assertEquals(List.of("abcdef"), bodies);
  }

  @Test
  void acceptsTheMaximumAndRejectsOneMoreBeforeAnyBodyByte() {
    reader.feed(frame("x".repeat(16)));
    assertEquals(1, bodies.size());

    reader.feed(Buffer.buffer().appendInt(17));

    assertEquals(List.of(17L), tooLarge);
  }

  @Test
  void readsTheLengthAsUnsigned() {
    reader.feed(Buffer.buffer().appendInt(0xFFFF_FFFF).appendString("{}"));
    assertEquals(List.of(4_294_967_295L), tooLarge);
    assertTrue(bodies.isEmpty());
  }

  @Test
  void ignoresEverythingAfterTooLargeOrStop() {
    reader.feed(Buffer.buffer().appendInt(1_000_000).appendBuffer(frame("after")));
    reader.feed(frame("later"));
    assertEquals(1, tooLarge.size());
    assertTrue(bodies.isEmpty());

    InboundFrameReader stopped =
        new InboundFrameReader(
            16,
            new InboundFrameReader.Sink() {
              @Override
              public void frame(Buffer frame) {
                bodies.add("unexpected");
              }

              @Override
              public void tooLarge(long length) {
                tooLarge.add(length);
              }
            });
    stopped.feed(frame("ab").getBuffer(0, 5));
    stopped.stop();
    stopped.feed(frame("ab").getBuffer(5, 6));
    assertTrue(bodies.isEmpty());
  }
}
