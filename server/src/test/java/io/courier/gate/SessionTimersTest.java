package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Login deadline 10 s, idle limit 90 s, token expiry, on a clock moved by hand. */
class SessionTimersTest {
  private final ManualLoop loop = new ManualLoop();
  private final List<String> fired = new ArrayList<>();
  private final SessionTimers timers =
      new SessionTimers(
          loop,
          ConnectionTest.SETTINGS,
          () -> fired.add("login deadline"),
          () -> fired.add("idle"),
          () -> fired.add("expired"));

  @Test
  void loginDeadlinePassesOnceAtItsTimeWhateverArrives() {
    timers.startLoginDeadline();
    loop.advance(5_000);
    timers.frameArrived();
    loop.advance(4_999);
    assertEquals(List.of(), fired);

    loop.advance(1);
    loop.advance(100_000);

    assertEquals(List.of("login deadline"), fired);
  }

  @Test
  void idleCheckReplacesTheLoginDeadline() {
    timers.startLoginDeadline();
    loop.advance(1_000);
    timers.startIdleCheck(SessionTimers.NEVER);

    loop.advance(89_999);
    assertEquals(List.of(), fired);
    loop.advance(1);

    assertEquals(List.of("idle"), fired);
  }

  @Test
  void idleIsCountedFromTheLastFrameWithOneTimerHoweverManyFramesArrive() {
    timers.startIdleCheck(SessionTimers.NEVER);
    for (int i = 0; i < 100; i++) {
      loop.advance(1_000);
      timers.frameArrived();
    }
    assertEquals(1, loop.liveTimers());

    loop.advance(89_999);
    assertEquals(List.of(), fired);
    loop.advance(1);

    assertEquals(List.of("idle"), fired);
  }

  @Test
  void aTokenExpiringBeforeTheIdleLimitEndsTheSessionAtItsExpiryWithOneTimer() {
    timers.startIdleCheck(ManualLoop.EPOCH_MS + 200_000);
    for (int i = 0; i < 199; i++) {
      loop.advance(1_000);
      timers.frameArrived();
    }
    assertEquals(List.of(), fired);
    assertEquals(1, loop.liveTimers());

    loop.advance(1_000);

    assertEquals(List.of("expired"), fired);
    assertEquals(0, loop.liveTimers());
  }

  @Test
  void aLaterExpiryPostponesTheEndAndAnEarlierOneBringsItForward() {
    timers.startIdleCheck(ManualLoop.EPOCH_MS + 60_000);
    loop.advance(50_000);
    timers.frameArrived();
    timers.expiresAt(ManualLoop.EPOCH_MS + 120_000);
    loop.advance(60_000);
    timers.frameArrived();
    assertEquals(List.of(), fired, "ended at the first expiry");

    timers.expiresAt(ManualLoop.EPOCH_MS + 115_000);
    loop.advance(4_999);
    assertEquals(List.of(), fired);
    loop.advance(1);

    assertEquals(List.of("expired"), fired);
  }

  @Test
  void stoppedTimersNeverFire() {
    timers.startLoginDeadline();
    timers.stop();
    timers.startIdleCheck(SessionTimers.NEVER);
    timers.stop();

    loop.advance(1_000_000);

    assertEquals(List.of(), fired);
    assertEquals(0, loop.liveTimers());
  }
}
