package io.courier.bench;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.store.EmbeddedStore;
import io.courier.store.MessageStore;
import io.courier.store.SqlStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a test: the embedded store's share of the node's C2C and qos-1 S2C flows,
 * without sockets. Each flow keeps {@value #IN_FLIGHT} writes in flight (the bench's 200 users ×
 * window 8) over 200 users, and removes each message's offline row once its write is acknowledged,
 * as the receiver's PUSH ack does. It prints messages per second for each of a few windows. Two
 * more flows stand for {@code bench pull}: the fill of one offline inbox ({@value #FILL_IN_FLIGHT}
 * qos-1 writes in flight, as the bench's one bridge sender), then its drain by PULL pages of 200,
 * each page's {@code upto} removal sent with the next PULL.
 *
 * <p>Its name keeps it out of every build (surefire runs {@code *Test}); run it by hand:
 *
 * <pre>
 * mvn -B -pl bench -am test -Dtest=EmbeddedStoreThroughputMeasurement -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * and read {@code
 * bench/target/surefire-reports/io.courier.bench.EmbeddedStoreThroughputMeasurement-output.txt}.
 */
class EmbeddedStoreThroughputMeasurement {
  private static final int IN_FLIGHT = 1_600;
  private static final int USERS = 200;
  private static final long WINDOW_MS = 3_000;
  private static final int WINDOWS = 4;
  private static final String CONTENT = "x".repeat(64);
  private static final int FILL_IN_FLIGHT = 256;
  private static final int INBOX_MESSAGES = 100_000;

  @TempDir Path dataDir;

  @Test
  void c2cPerSecond() {
    measure(
        "c2c",
        (store, msgid) -> {
          Message message =
              message(Kind.C2C, "u" + msgid % USERS, "u" + (msgid + 1) % USERS, msgid);
          return store
              .acceptC2c(message, "cmid-" + msgid)
              .compose(accepted -> remove(store, message));
        });
  }

  @Test
  void s2cQos1PerSecond() {
    measure(
        "s2c",
        (store, msgid) -> {
          Message message = message(Kind.S2C, "", "u" + msgid % USERS, msgid);
          return store
              .storeOffline(java.util.List.of(message))
              .compose(stored -> remove(store, message));
        });
  }

  @Test
  void offlineInboxFillThenPullDrain() {
    Vertx vertx = Vertx.vertx();
    try {
      MessageStore store =
          EmbeddedStore.open(
                  vertx,
                  dataDir.toString(),
                  SqlStoreOptions.defaults()
                      .withQuotas(0, Duration.ofDays(30), Duration.ofDays(180)))
              .await();
      AtomicLong next = new AtomicLong();
      Promise<Void> filled = Promise.promise();
      AtomicLong stored = new AtomicLong();
      long fillStart = System.nanoTime();
      LongFunction<Void>[] fill = new LongFunction[1];
      fill[0] =
          ignored -> {
            long msgid = next.incrementAndGet();
            if (msgid > INBOX_MESSAGES) {
              return null;
            }
            store
                .storeOffline(java.util.List.of(message(Kind.S2C, "", "inbox", msgid)))
                .onComplete(
                    done -> {
                      if (done.failed()) {
                        filled.tryFail(done.cause());
                      } else if (stored.incrementAndGet() == INBOX_MESSAGES) {
                        filled.tryComplete();
                      } else {
                        fill[0].apply(0);
                      }
                    });
            return null;
          };
      vertx.runOnContext(
          v -> {
            for (int i = 0; i < FILL_IN_FLIGHT; i++) {
              fill[0].apply(0);
            }
          });
      filled.future().await();
      double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
      System.out.printf(
          "fill window 0: %.0f msgs/s (%d in %.2f s)%n",
          INBOX_MESSAGES / fillSeconds, INBOX_MESSAGES, fillSeconds);

      Promise<Void> drained = Promise.promise();
      AtomicLong pulled = new AtomicLong();
      long drainStart = System.nanoTime();
      java.util.function.LongConsumer[] page = new java.util.function.LongConsumer[1];
      page[0] =
          after ->
              store
                  .pull("inbox", 101, after, 200)
                  .onComplete(
                      done -> {
                        if (done.failed()) {
                          drained.tryFail(done.cause());
                          return;
                        }
                        java.util.List<Message> messages = done.result().messages();
                        if (messages.isEmpty()) {
                          drained.tryComplete();
                          return;
                        }
                        pulled.addAndGet(messages.size());
                        long last = messages.get(messages.size() - 1).msgid();
                        store.removeOfflineUpTo("inbox", 101, last);
                        page[0].accept(last);
                      });
      vertx.runOnContext(v -> page[0].accept(0));
      drained.future().await();
      double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
      System.out.printf(
          "drain window 0: %.0f msgs/s (%d in %.2f s)%n",
          pulled.get() / drainSeconds, pulled.get(), drainSeconds);
      store.close().await();
    } finally {
      vertx.close().await();
    }
  }

  private static Message message(Kind kind, String from, String to, long msgid) {
    return new Message(
        msgid,
        kind,
        from,
        kind == Kind.C2C ? 101 : 0,
        to,
        101,
        1,
        CONTENT,
        System.currentTimeMillis(),
        "log-" + msgid);
  }

  private static Future<Void> remove(MessageStore store, Message message) {
    return store.removeOffline(message.toUid(), message.toAppcode(), message.msgid()).mapEmpty();
  }

  private interface Flow {
    Future<Void> one(MessageStore store, long msgid);
  }

  private void measure(String name, Flow flow) {
    Vertx vertx = Vertx.vertx();
    try {
      MessageStore store = EmbeddedStore.open(vertx, dataDir.toString()).await();
      AtomicLong next = new AtomicLong();
      AtomicLong done = new AtomicLong();
      Promise<Void> stopped = Promise.promise();
      long deadline = System.currentTimeMillis() + WINDOW_MS * WINDOWS;
      LongFunction<Void>[] loop = new LongFunction[1];
      loop[0] =
          ignored -> {
            if (System.currentTimeMillis() >= deadline) {
              stopped.tryComplete();
              return null;
            }
            flow.one(store, next.incrementAndGet())
                .onComplete(
                    result -> {
                      if (result.failed()) {
                        stopped.tryFail(result.cause());
                        return;
                      }
                      done.incrementAndGet();
                      loop[0].apply(0);
                    });
            return null;
          };
      vertx.runOnContext(
          v -> {
            for (int i = 0; i < IN_FLIGHT; i++) {
              loop[0].apply(0);
            }
          });
      long windowStart = System.currentTimeMillis();
      long windowDone = 0;
      for (int window = 0; window < WINDOWS; window++) {
        vertx.timer(WINDOW_MS).await();
        long now = System.currentTimeMillis();
        long count = done.get();
        double rate = (count - windowDone) * 1000.0 / (now - windowStart);
        System.out.printf("%s window %d: %.0f msgs/s%n", name, window, rate);
        windowStart = now;
        windowDone = count;
      }
      stopped.future().await();
      store.close().await();
    } finally {
      vertx.close().await();
    }
  }
}
