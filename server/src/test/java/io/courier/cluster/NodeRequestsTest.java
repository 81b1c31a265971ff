package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.Reply;
import io.courier.protocol.Code;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class NodeRequestsTest {
  /** Timers scheduled by the requests, fired by hand. */
  private final List<Scheduled> timers = new ArrayList<>();

  private final NodeRequests requests =
      new NodeRequests(
          List.of("a", "b"),
          (delayMs, action) -> {
            Scheduled scheduled = new Scheduled(delayMs, action);
            timers.add(scheduled);
            return () -> scheduled.cancelled = true;
          });

  private static final class Scheduled {
    final long delayMs;
    final Runnable action;
    boolean cancelled;

    Scheduled(long delayMs, Runnable action) {
      this.delayMs = delayMs;
      this.action = action;
    }
  }

  /** Requests made to the fake event bus, each answered by hand. */
  private final List<Promise<String>> made = new ArrayList<>();

  private final Supplier<Future<String>> request =
      () -> {
        Promise<String> answer = Promise.promise();
        made.add(answer);
        return answer.future();
      };

  @Test
  void aRequestToAMemberGetsItsAnswer() {
    Future<String> answer = requests.send("a", request);
    assertFalse(answer.isComplete());
    made.get(0).complete("written");
    assertEquals("written", answer.result());
  }

  @Test
  void aFailedRequestFailsAsItDid() {
    Future<String> answer = requests.send("a", request);
    ReplyException timeout = new ReplyException(ReplyFailure.TIMEOUT, "slow");
    made.get(0).fail(timeout);
    assertSame(timeout, answer.cause());
  }

  @Test
  void aRequestToANodeThatIsNotAMemberFailsAtOnceWith503AndIsNotSent() {
    Future<String> answer = requests.send("gone", request);
    assertTrue(answer.failed());
    assertEquals(Code.UNAVAILABLE, Reply.codeOf(answer.cause()));
    assertTrue(made.isEmpty(), "nothing sent");
  }

  @Test
  void aRequestInFlightFailsWith504AsSoonAsItsNodeLeaves() {
    Future<String> answer = requests.send("a", request);
    requests.left("a");
    assertTrue(answer.failed());
    assertEquals(Code.TIMEOUT, Reply.codeOf(answer.cause()));
    made.get(0).complete("too late");
    assertTrue(answer.failed(), "a late answer changes nothing");
  }

  @Test
  void requestsToOtherNodesWaitForTheirOwnAnswers() {
    Future<String> toA = requests.send("a", request);
    Future<String> toB = requests.send("b", request);
    requests.left("a");
    assertTrue(toA.failed());
    assertFalse(toB.isComplete());
    made.get(1).complete("written");
    assertEquals("written", toB.result());
  }

  @Test
  void everyRequestInFlightToTheNodeFails() {
    List<Future<String>> answers =
        List.of(requests.send("a", request), requests.send("a", request));
    requests.left("a");
    answers.forEach(answer -> assertTrue(answer.failed()));
  }

  @Test
  void anAnsweredRequestIsNotFailedWhenItsNodeLeavesLater() {
    Future<String> answer = requests.send("a", request);
    made.get(0).complete("written");
    requests.left("a");
    assertEquals("written", answer.result());
  }

  @Test
  void aNodeThatLeftIsNotSentToUntilItJoinsAgain() {
    requests.left("a");
    assertEquals(Code.UNAVAILABLE, Reply.codeOf(requests.send("a", request).cause()));
    requests.joined("a");
    Future<String> answer = requests.send("a", request);
    assertEquals(1, made.size());
    made.get(0).complete("written");
    assertEquals("written", answer.result());
  }

  /**
   * After a partition healed, pushes to the nodes of the other side waited out their whole 10 s
   * (docs/faults.md, section 9): a node that rejoins gets 2 s until it has answered once.
   */
  @Test
  void aRequestToANodeThatRejoinedFailsWith504AfterTheRejoinBound() {
    requests.left("a");
    requests.joined("a");
    Future<String> answer = requests.send("a", request);
    assertEquals(1, made.size());
    assertEquals(
        List.of(NodeRequests.REJOIN_BOUND_MS), timers.stream().map(t -> t.delayMs).toList());
    assertFalse(answer.isComplete());

    timers.get(0).action.run();

    assertEquals(Code.TIMEOUT, Reply.codeOf(answer.cause()));
  }

  @Test
  void onceARejoinedNodeHasAnsweredItsRequestsAreNotBounded() {
    requests.left("a");
    requests.joined("a");
    Future<String> first = requests.send("a", request);
    made.get(0).complete("written");
    assertEquals("written", first.result());
    assertTrue(timers.get(0).cancelled);

    requests.send("a", request);

    assertEquals(1, timers.size());
  }

  @Test
  void aRequestThatFailsLeavesTheRejoinedNodeOnProbation() {
    requests.left("a");
    requests.joined("a");
    requests.send("a", request);
    made.get(0).fail(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, "refused"));

    requests.send("a", request);

    assertEquals(2, timers.size());
  }

  @Test
  void nodesThatNeverLeftAreNotBounded() {
    requests.joined("c");
    requests.send("c", request);
    requests.send("a", request);
    assertEquals(2, made.size());
    assertEquals(List.of(), timers.stream().map(t -> t.delayMs).toList());
  }

  @Test
  void aNodeThatJoinsAfterTheStartIsSentTo() {
    requests.joined("c");
    requests.send("c", request);
    assertEquals(1, made.size());
  }
}
