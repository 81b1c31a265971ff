package io.courier.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Exponential waits, spread ±20 %, capped, and never shorter than the provider's Retry-After. */
class BackoffTest {

  @Test
  void eachResendWaitsTwiceAsLongAsTheOneBefore() {
    Backoff middle = new Backoff(1_000, () -> 0.5);

    assertEquals(1_000, middle.delayMs(1, 0));
    assertEquals(2_000, middle.delayMs(2, 0));
    assertEquals(4_000, middle.delayMs(3, 0));
  }

  @Test
  void theWaitIsSpreadByATwentiethEitherWay() {
    assertEquals(800, new Backoff(1_000, () -> 0.0).delayMs(1, 0));
    assertEquals(1_199, new Backoff(1_000, () -> 0.999).delayMs(1, 0));
  }

  @Test
  void retryAfterLengthensTheWaitAndTheMaximumBoundsBoth() {
    Backoff middle = new Backoff(1_000, () -> 0.5);

    assertEquals(30_000, middle.delayMs(1, 30_000));
    assertEquals(Backoff.MAX_MS, middle.delayMs(40, 0));
    assertEquals(Backoff.MAX_MS, middle.delayMs(1, 3_600_000));
  }
}
