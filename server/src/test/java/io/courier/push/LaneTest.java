package io.courier.push;

import static io.courier.push.PushFixtures.notification;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.protocol.body.PushProvider;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** A provider's lane: its concurrency, its rate, its resends after 429 and 5xx. */
class LaneTest {
  private final ManualScheduler time = new ManualScheduler();
  private final List<String> done = new ArrayList<>();
  private final Queue<Promise<Answer>> awaiting = new ArrayDeque<>();
  private final List<String> sent = new ArrayList<>();

  private Lane lane(int concurrency, int perSecond, int retries) {
    return lane(concurrency, perSecond, retries, 0);
  }

  private Lane lane(int concurrency, int perSecond, int retries, long deadlineMs) {
    NotificationSender sender =
        notification -> {
          sent.add(notification.message().msgid() + "#" + notification.attempt());
          Promise<Answer> answer = Promise.promise();
          awaiting.add(answer);
          return answer.future();
        };
    return new Lane(
        PushProvider.APNS,
        sender,
        concurrency,
        new RateLimit(perSecond, time.nowNanos()),
        new Backoff(1_000, () -> 0.5),
        retries,
        deadlineMs,
        time,
        time::nowNanos,
        (notification, answer) ->
            done.add(notification.message().msgid() + " " + answer.verdict()));
  }

  @Test
  void noMoreThanTheConcurrencyAwaitTheirAnswer() {
    Lane lane = lane(2, 1_000, 0);
    for (long msgid = 1; msgid <= 5; msgid++) {
      lane.submit(notification(msgid, "alice"));
    }

    assertEquals(List.of("1#1", "2#1"), sent);
    assertEquals(5, lane.load());

    awaiting.poll().complete(Answer.sent(200));

    assertEquals(List.of("1#1", "2#1", "3#1"), sent);
    assertEquals(List.of("1 SENT"), done);
    assertEquals(4, lane.load());
  }

  @Test
  void theRateSpreadsABurstOverTime() {
    Lane lane = lane(100, 2, 0);
    for (long msgid = 1; msgid <= 4; msgid++) {
      lane.submit(notification(msgid, "alice"));
    }

    assertEquals(2, sent.size(), "a second's worth at once");
    time.advance(499);
    assertEquals(2, sent.size());
    time.advance(1);
    assertEquals(3, sent.size());
    time.advance(500);
    assertEquals(4, sent.size());
  }

  @Test
  void aNotificationAnswered429Or503IsSentAgainAfterGrowingWaits() {
    Lane lane = lane(10, 1_000, 3);
    lane.submit(notification(7, "alice"));

    awaiting.poll().complete(Answer.retry(429, "TooManyRequests", 0));
    assertEquals(List.of(1_000L), time.waiting(), "first resend after the base");
    time.advance(1_000);
    awaiting.poll().complete(Answer.retry(503, "ServiceUnavailable", 0));
    assertEquals(List.of(2_000L), time.waiting(), "then twice as long");
    time.advance(2_000);
    awaiting.poll().complete(Answer.sent(200));

    assertEquals(List.of("7#1", "7#2", "7#3"), sent);
    assertEquals(List.of("7 SENT"), done);
    assertEquals(0, lane.load());
  }

  @Test
  void afterTheLastResendTheNotificationIsDoneWithItsLastAnswer() {
    Lane lane = lane(10, 1_000, 1);
    lane.submit(notification(8, "alice"));

    awaiting.poll().complete(Answer.retry(503, null, 0));
    time.advance(1_000);
    awaiting.poll().complete(Answer.retry(503, null, 0));

    assertEquals(List.of("8#1", "8#2"), sent);
    assertEquals(List.of("8 RETRY"), done);
  }

  @Test
  void aFailedSendCountsAsNoAnswerAndIsSentAgain() {
    Lane lane = lane(10, 1_000, 1);
    lane.submit(notification(9, "alice"));

    awaiting.poll().fail(new IllegalStateException("connection refused"));
    time.advance(1_000);

    assertEquals(List.of("9#1", "9#2"), sent);
  }

  @Test
  void deadAndFailedAnswersAreNotSentAgain() {
    Lane lane = lane(10, 1_000, 3);
    lane.submit(notification(10, "alice"));
    lane.submit(notification(11, "alice"));

    awaiting.poll().complete(Answer.dead(410, "Unregistered"));
    awaiting.poll().complete(Answer.failed(400, "BadTopic"));

    assertEquals(List.of("10 DEAD", "11 FAILED"), done);
    assertEquals(List.of(), time.waiting());
  }

  @Test
  void aSendNeverAnsweredCountsAsNoAnswerAtItsDeadline() {
    Lane lane = lane(1, 1_000, 0, 30_000);
    lane.submit(notification(12, "alice"));
    lane.submit(notification(13, "alice"));

    time.advance(30_000);

    assertEquals(List.of("12 RETRY"), done);
    assertEquals(List.of("12#1", "13#1"), sent, "its place went to the next one");
    awaiting.poll().complete(Answer.sent(200));
    assertEquals(List.of("12 RETRY"), done, "a late answer changes nothing");
  }
}
