package io.courier.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The push requests' deadlines kept by one timer ({@link Deadlines}), on one event loop. */
class BridgeDeadlinesTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theUnansweredExpireInOrderAndAnAnswerAfterwardsIsRefused() throws Exception {
    List<String> expired = new CopyOnWriteArrayList<>();
    CompletableFuture<List<Boolean>> answers = new CompletableFuture<>();
    vertx.runOnContext(
        v -> {
          Deadlines deadlines = new Deadlines(vertx, 100, System::nanoTime);
          Deadlines.Pending first = deadlines.start(() -> expired.add("first"));
          Deadlines.Pending second = deadlines.start(() -> expired.add("second"));
          Deadlines.Pending third = deadlines.start(() -> expired.add("third"));
          boolean secondInTime = deadlines.answered(second);
          vertx.setTimer(
              400,
              t -> {
                Deadlines.Pending late = deadlines.start(() -> expired.add("late"));
                answers.complete(
                    List.of(
                        secondInTime,
                        deadlines.answered(first),
                        deadlines.answered(third),
                        deadlines.answered(second),
                        deadlines.answered(late)));
              });
        });

    List<Boolean> answered = answers.get(10, TimeUnit.SECONDS);

    assertEquals(List.of("first", "third"), expired);
    assertTrue(answered.get(0), "answered before its deadline");
    assertFalse(answered.get(1), "expired");
    assertFalse(answered.get(2), "expired");
    assertFalse(answered.get(3), "already answered");
    assertTrue(answered.get(4), "a request started after the others expired is still waited for");
  }

  @Test
  void aRequestIsNotExpiredBeforeItsDeadline() throws Exception {
    CompletableFuture<Long> expiredAfter = new CompletableFuture<>();
    vertx.runOnContext(
        v -> {
          Deadlines deadlines = new Deadlines(vertx, 200, System::nanoTime);
          long started = System.nanoTime();
          deadlines.start(
              () ->
                  expiredAfter.complete(
                      TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
        });

    assertTrue(expiredAfter.get(10, TimeUnit.SECONDS) >= 200);
  }
}
