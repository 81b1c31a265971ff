package io.courier.store;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A measurement, not a test: durable C2C accepts per second with 10,000 requests in flight at once. Runs only
 * with {@code -Dcourier.measure=true}, and prints its result.
 */
@EnabledIfSystemProperty(named = "courier.measure", matches = "true")
class EmbeddedStoreThroughputTest {
  private static final int CONCURRENT = 10_000;
  private static final int ROUNDS = 6;

  @TempDir
  Path dataDir;

  @Test
  void acceptsPerSecond() {
    Vertx vertx = Vertx.vertx();
    try {
      MessageStore store = EmbeddedStore.open(vertx, dataDir.toString()).await();
      long msgid = 1;
      for (int round = 0; round < ROUNDS; round++) {
        List<Future<MessageStore.Accepted>> accepted = new ArrayList<>(CONCURRENT);
        long start = System.nanoTime();
        for (int i = 0; i < CONCURRENT; i++, msgid++) {
          Message message = new Message(msgid, Kind.C2C, "user" + msgid % 1000, 101, "user" + msgid * 7 % 1000, 102,
            1, "a message of about a hundred characters, like most chat messages are: " + msgid,
            System.currentTimeMillis(), "log-" + msgid);
          accepted.add(store.acceptC2c(message, "cmid-" + msgid));
        }
        Future.all(accepted).await();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("round %d: %d accepts in %.3f s = %.0f/s%n", round, CONCURRENT, seconds,
          CONCURRENT / seconds);
      }
      store.close().await();
    } finally {
      vertx.close().await();
    }
  }
}
