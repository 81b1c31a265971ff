package io.courier.bench;

import io.courier.protocol.Command;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * Members sending C2C or C2G, each with a new cmid per message and at most {@code window} sends
 * unanswered, from a budget shared by all of them, until stopped: the sending side of the {@code
 * c2c} and {@code group} scenarios. Each member's loop runs on its connection's event loop.
 */
final class CmidSenders {
  /** What to do with a message answered code 0; called on its sender's event loop. */
  interface Accepted {
    void accepted(long msgid, long sentNanos);
  }

  private final Command command;
  private final int window;
  private final String runTag;
  private final int contentBytes;
  private final Outcomes outcomes;
  private final AtomicLong budget;
  private final AtomicLong outstanding = new AtomicLong();
  private final LongAdder sent = new LongAdder();
  private final List<Loop> loops = new ArrayList<>();
  private volatile boolean stopped;

  /**
   * @param messages how many messages to send in all, 0 for as many as the run's time allows
   * @param outcomes where codes other than 0 and failures are counted
   */
  CmidSenders(
      Command command,
      int window,
      long messages,
      String runTag,
      int contentBytes,
      Outcomes outcomes) {
    this.command = command;
    this.window = window;
    this.runTag = runTag;
    this.contentBytes = contentBytes;
    this.outcomes = outcomes;
    this.budget = new AtomicLong(messages > 0 ? messages : Long.MAX_VALUE);
  }

  /**
   * Adds {@code member} as a sender; {@code address} puts the fields naming the receiver ({@code
   * to_uid}, {@code group_id} …) into each new body, before its cmid, msgtype and content.
   */
  void add(Fleet.Member member, UnaryOperator<JsonObject> address, Accepted accepted) {
    loops.add(new Loop(member, address, accepted));
  }

  /** The senders added. */
  int count() {
    return loops.size();
  }

  /** Starts every sender on its connection's event loop. */
  void start() {
    for (Loop loop : loops) {
      loop.member.context().runOnContext(v -> loop.pump());
    }
  }

  /** Sends nothing more; the outstanding sends are still answered. */
  void stop() {
    stopped = true;
  }

  /** Whether the budget is spent and every send answered. */
  boolean spent() {
    return budget.get() < 1 && outstanding.get() == 0;
  }

  long outstanding() {
    return outstanding.get();
  }

  long sent() {
    return sent.sum();
  }

  /** One member's sending state; touched only on its connection's event loop. */
  private final class Loop {
    private final Fleet.Member member;
    private final UnaryOperator<JsonObject> address;
    private final Accepted accepted;
    private int inFlight;
    private long cmid;

    Loop(Fleet.Member member, UnaryOperator<JsonObject> address, Accepted accepted) {
      this.member = member;
      this.address = address;
      this.accepted = accepted;
    }

    void pump() {
      while (!stopped && inFlight < window && budget.getAndDecrement() >= 1) {
        inFlight++;
        outstanding.incrementAndGet();
        sent.increment();
        long start = System.nanoTime();
        JsonObject body =
            address
                .apply(new JsonObject())
                .put("cmid", runTag + "-" + ++cmid)
                .put("msgtype", 1)
                .put("content", Stamp.content(start, contentBytes));
        member
            .connection()
            .request(command, body)
            .onComplete(
                answer -> {
                  inFlight--;
                  outstanding.decrementAndGet();
                  if (answer.failed()) {
                    outcomes.failure(answer.cause());
                    if (member.connection().closed().isComplete()) {
                      // a closed connection sends nothing more: its requests fail at once, each one
                      // sending the next from here, deeper until the stack overflows
                      return;
                    }
                  } else if (Outcomes.codeOf(answer.result()) != 0) {
                    outcomes.response(answer.result());
                  } else {
                    accepted.accepted(
                        DeliveryLedger.parseMsgid(answer.result().getValue("msgid")), start);
                  }
                  pump();
                });
      }
    }
  }
}
