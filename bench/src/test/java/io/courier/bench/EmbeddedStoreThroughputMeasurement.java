package io.courier.bench;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.store.EmbeddedStore;
import io.courier.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a test: the embedded store's share of the node's C2C and qos-1 S2C flows,
 * without sockets. Each flow keeps {@value #IN_FLIGHT} writes in flight (the bench's 200 users ×
 * window 8) over 200 users, and removes each message's offline row once its write is acknowledged,
 * as the receiver's PUSH ack does. It prints messages per second for each of a few windows.
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
