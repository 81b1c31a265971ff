package io.courier.gate;

import static io.courier.gate.FrameRate.Verdict.ACCEPT;
import static io.courier.gate.FrameRate.Verdict.KICK;
import static io.courier.gate.FrameRate.Verdict.REFUSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A connection's frame budget: 100 frames a second in bursts of 20, from a clock near its end. */
class FrameRateTest {
  /** Any clock value works, negative ones and those about to wrap included. */
  private static final long START = Long.MAX_VALUE - TimeUnit.SECONDS.toNanos(5);

  private final FrameRate rate = new FrameRate(100, 20, START);

  @Test
  void burstIsAcceptedThenRefusedThenABurstOfRefusalsMoreIsKicked() {
    assertEquals(ACCEPT, repeat(20, 0));
    assertEquals(REFUSE, repeat(20, 0));
    assertEquals(KICK, rate.frame(START));
  }

  @Test
  void budgetRefillsAtTheRate() {
    repeat(20, 0);
    assertEquals(REFUSE, rate.frame(START));

    assertEquals(ACCEPT, rate.frame(at(10)));
    assertEquals(REFUSE, rate.frame(at(10)));
    assertEquals(ACCEPT, repeat(10, 110));
    assertEquals(REFUSE, rate.frame(at(110)));
  }

  @Test
  void sustainedRateIsNeverRefused() {
    for (int i = 0; i < 10_000; i++) {
      assertEquals(ACCEPT, rate.frame(at(10L * i)), "frame " + i);
    }
  }

  @Test
  void twiceTheRateIsRefusedHalfTheTimeButNeverKicked() {
    int refused = 0;
    for (int i = 0; i < 10_000; i++) {
      FrameRate.Verdict verdict = rate.frame(START + TimeUnit.MICROSECONDS.toNanos(5_000L * i));
      assertNotEquals(KICK, verdict, "frame " + i);
      refused += verdict == REFUSE ? 1 : 0;
    }
    assertEquals(5_000, refused, 20);
  }

  @Test
  void threeTimesTheRateIsKickedOnceTheRefusalsExceedABurst() {
    int frames = 0;
    while (rate.frame(START + TimeUnit.MICROSECONDS.toNanos(3_333L * frames)) != KICK) {
      frames++;
      assertTrue(frames < 1_000, "not kicked after 1,000 frames at three times the rate");
    }
  }

  @Test
  void acksArePaidForByThePushesTheClientReceived() {
    rate.pushed();
    rate.pushed();
    repeat(20, 0);

    assertEquals(ACCEPT, rate.ack(START));
    assertEquals(ACCEPT, rate.ack(START));
    assertEquals(REFUSE, rate.ack(START));
  }

  @Test
  void ackCreditIsCapped() {
    for (int i = 0; i < FrameRate.MAX_ACK_CREDIT + 500; i++) {
      rate.pushed();
    }
    for (int i = 0; i < FrameRate.MAX_ACK_CREDIT + 20; i++) {
      assertEquals(ACCEPT, rate.ack(START), "ack " + i);
    }
    assertEquals(REFUSE, rate.ack(START));
  }

  /** {@code frames} frames at {@code ms} after the start; the verdict of the last. */
  private FrameRate.Verdict repeat(int frames, long ms) {
    FrameRate.Verdict last = null;
    for (int i = 0; i < frames; i++) {
      last = rate.frame(at(ms));
    }
    return last;
  }

  private static long at(long ms) {
    return START + TimeUnit.MILLISECONDS.toNanos(ms);
  }
}
