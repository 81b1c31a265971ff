package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.Command;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** One connection's C2C requests: one at a time, in order, at most 256 waiting. */
class C2cQueueTest {
  private final List<Long> sent = new ArrayList<>();
  private final Queue<Promise<JsonObject>> inFlight = new ArrayDeque<>();
  private int drained;
  private final C2cQueue queue =
      new C2cQueue(
          (command, seq, body) -> {
            sent.add(seq);
            Promise<JsonObject> answer = Promise.promise();
            inFlight.add(answer);
            return answer.future();
          },
          () -> drained++);

  @Test
  void nextRequestIsSentOnlyWhenThePreviousIsAnsweredWhateverTheAnswer() {
    queue.offer(Command.C2C, 1, new JsonObject());
    queue.offer(Command.C2C, 2, new JsonObject());
    queue.offer(Command.C2C, 3, new JsonObject());
    assertEquals(List.of(1L), sent);

    inFlight.poll().fail("routing failed");
    assertEquals(List.of(1L, 2L), sent);
    inFlight.poll().complete(new JsonObject().put("code", 0));
    assertEquals(List.of(1L, 2L, 3L), sent);
  }

  @Test
  void beyond256WaitingAreRefusedUntilAnAnswerMakesRoom() {
    for (int i = 0; i < C2cQueue.MAX_WAITING; i++) {
      assertTrue(queue.offer(Command.C2C, i, new JsonObject()));
    }
    assertFalse(queue.offer(Command.C2C, 999, new JsonObject()));

    inFlight.poll().complete(new JsonObject());

    assertTrue(queue.offer(Command.C2C, 1_000, new JsonObject()));
    assertFalse(queue.offer(Command.C2C, 1_001, new JsonObject()));
  }

  @Test
  void requestOfferedToAnIdleQueueIsSentAtOnce() {
    assertTrue(queue.idle());
    queue.offer(Command.C2C, 5, new JsonObject());
    assertEquals(List.of(5L), sent);
    assertFalse(queue.idle());
  }

  @Test
  void queueReportsOnceItsLastWaitingRequestIsAnswered() {
    queue.offer(Command.C2C, 1, new JsonObject());
    queue.offer(Command.C2C, 2, new JsonObject());
    inFlight.poll().complete(new JsonObject());
    assertEquals(0, drained);
    assertFalse(queue.idle());

    inFlight.poll().fail("routing failed");

    assertEquals(1, drained);
    assertTrue(queue.idle());
  }
}
