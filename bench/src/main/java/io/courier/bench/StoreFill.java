package io.courier.bench;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.store.EmbeddedStore;
import io.courier.store.MessageStore;
import io.courier.store.SqlStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes messages straight into an embedded store, without a node: the data set of the start-up and
 * disk-use measurements of docs/benchmarks.md (section 10).
 *
 * <pre>
 * java -cp courier-bench.jar io.courier.bench.StoreFill DATA_DIR MESSAGES s2c|c2c [RECEIVERS]
 * </pre>
 *
 * <p>{@code s2c}: qos-1 offline messages ({@code storeOffline}, 100 a call) spread round-robin over
 * RECEIVERS receivers (default 100,000), as many waiting inboxes. {@code c2c}: accepted C2C
 * messages ({@code acceptC2c}) between RECEIVERS users, each stored as a dedup row, two history
 * rows and an offline row. Contents are 100 random lower-case letters and spaces (see the server's
 * {@code StoreGenerator}). The offline cap is off. Prints the rate and exits when every write was
 * acknowledged.
 */
public final class StoreFill {
  private static final int PER_CALL = 100;
  private static final int CALLS_IN_FLIGHT = 64;

  private StoreFill() {}

  private static String text(Random random) {
    char[] text = new char[100];
    for (int i = 0; i < text.length; i++) {
      int c = random.nextInt(27);
      text[i] = c == 26 ? ' ' : (char) ('a' + c);
    }
    return new String(text);
  }

  public static void main(String[] args) throws Exception {
    String dir = args[0];
    long messages = Long.parseLong(args[1]);
    boolean c2c = args[2].equals("c2c");
    int receivers = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
    Vertx vertx = Vertx.vertx();
    MessageStore store =
        EmbeddedStore.open(
                vertx,
                dir,
                SqlStoreOptions.defaults()
                    .withQuotas(0, Duration.ofDays(3650), Duration.ofDays(3650)))
            .await();
    Semaphore inFlight = new Semaphore(CALLS_IN_FLIGHT);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long start = System.nanoTime();
    long now = System.currentTimeMillis();
    long msgid = Math.max(store.maxMsgid().await(), 0) + 1;
    Random random = new Random(18);
    for (long sent = 0; sent < messages && failure.get() == null; ) {
      inFlight.acquire();
      Future<?> write;
      if (c2c) {
        List<Future<MessageStore.Accepted>> accepts = new ArrayList<>(PER_CALL);
        for (int i = 0; i < PER_CALL && sent < messages; i++, sent++, msgid++) {
          String from = "user" + (msgid % receivers);
          String to = "user" + ((msgid + 1) % receivers);
          accepts.add(
              store.acceptC2c(
                  new Message(
                      msgid, Kind.C2C, from, 101, to, 101, 1, text(random), now, "log-" + msgid),
                  "cmid-" + msgid));
        }
        write = Future.all(accepts);
      } else {
        List<Message> batch = new ArrayList<>(PER_CALL);
        for (int i = 0; i < PER_CALL && sent < messages; i++, sent++, msgid++) {
          batch.add(
              new Message(
                  msgid,
                  Kind.S2C,
                  "",
                  0,
                  "user" + (msgid % receivers),
                  101,
                  1,
                  text(random),
                  now,
                  "log-" + msgid));
        }
        write = store.storeOffline(batch);
      }
      write.onComplete(
          done -> {
            if (done.failed()) {
              failure.compareAndSet(null, done.cause());
            }
            inFlight.release();
          });
    }
    inFlight.tryAcquire(CALLS_IN_FLIGHT, 10, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    store.close().await();
    vertx.close().await();
    if (failure.get() != null) {
      System.err.println("store fill failed: " + failure.get());
      System.exit(1);
    }
    System.out.printf(
        "stored %,d %s messages in %.1f s: %,.0f/s%n",
        messages, args[2], seconds, messages / seconds);
  }
}
