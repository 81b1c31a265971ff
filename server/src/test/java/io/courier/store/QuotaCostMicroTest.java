package io.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the offline cap costs the embedded store's C2C writes: the same load with the cap off and at
 * its default, to receivers that each have messages waiting, after a run that warms the JIT up. It
 * logs both times for the reader ({@code SqlMessageStore}'s implementation note) and asserts only
 * what was stored: speed is no unit test's business.
 */
class QuotaCostMicroTest {
  private static final Logger LOG = LoggerFactory.getLogger(QuotaCostMicroTest.class);
  private static final int RECEIVERS = 200;
  private static final int WAITING = 20;
  private static final int MESSAGES = 2_000;

  private static Vertx vertx;

  @TempDir Path dataDir;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  @Test
  void embedded() {
    compare(
        "embedded",
        (name, options) -> EmbeddedStore.open(vertx, dataDir.resolve(name).toString(), options));
  }

  @Test
  void twoMySqlShards() {
    LocalServices.requireMysql();
    List<String> databases = List.of("courier_quota_cost0", "courier_quota_cost1");
    compare(
        "MySQL",
        (name, options) -> {
          MySqlDatabases.recreate(vertx, databases);
          return MySqlStore.open(
              vertx, databases.stream().map(MySqlDatabases::uri).toList(), options);
        });
  }

  /** A warm-up run, then three runs without the cap and three with it, alternating. */
  private void compare(String backend, Opener opener) {
    run(opener, "warm-up", 0);
    List<Long> withoutCap = new ArrayList<>();
    List<Long> withCap = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      withoutCap.add(run(opener, "off-" + round, 0));
      withCap.add(run(opener, "on-" + round, SqlStoreOptions.DEFAULT_OFFLINE_MAX_PER_USER));
    }
    LOG.info(
        "{}: {} C2C to {} receivers with {} waiting each: {} ms without the offline cap, {} ms"
            + " with it",
        backend,
        MESSAGES,
        RECEIVERS,
        WAITING,
        withoutCap,
        withCap);
  }

  private interface Opener {
    Future<MessageStore> open(String name, SqlStoreOptions options);
  }

  /** Fills the receivers' inboxes, then times {@value #MESSAGES} C2C; checks all were stored. */
  private long run(Opener opener, String name, int cap) {
    MessageStore store =
        opener
            .open(name, SqlStoreOptions.defaults().withQuotas(cap, Duration.ZERO, Duration.ZERO))
            .await();
    try {
      long msgid = 1;
      List<Message> waiting = new ArrayList<>();
      for (int r = 0; r < RECEIVERS; r++) {
        for (int i = 0; i < WAITING; i++) {
          waiting.add(message(msgid++, "sender", "receiver-" + r));
        }
      }
      store.storeOffline(waiting).await();

      List<Future<MessageStore.Accepted>> sent = new ArrayList<>(MESSAGES);
      long start = System.nanoTime();
      for (int i = 0; i < MESSAGES; i++) {
        sent.add(
            store.acceptC2c(
                message(msgid++, "sender-" + i % 50, "receiver-" + i % RECEIVERS), "c" + i));
      }
      Future.all(sent).await();
      long ms = (System.nanoTime() - start) / 1_000_000;

      int expected = WAITING + MESSAGES / RECEIVERS;
      assertEquals(expected, store.pull("receiver-7", 101, 0, 1_000).await().messages().size());
      return ms;
    } finally {
      store.close().await();
    }
  }

  private static Message message(long msgid, String from, String to) {
    return new Message(msgid, Kind.C2C, from, 101, to, 101, 1, "hi " + msgid, 1, "log-" + msgid);
  }
}
