package io.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.message.Message;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract on the embedded RocksDB store, and what only it can be asked: its directory and its
 * lock, its queue, its purge of expired cmids, and the refusal of an H2 data directory.
 */
class EmbeddedMessageStoreTest extends MessageStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Future<MessageStore> openStore(SqlStoreOptions options) {
    return EmbeddedStore.open(vertx, dataDir.toString(), options, RocksTuning.ofMegabytes(8, 8));
  }

  @Test
  void theDataDirectoryIsCreated() {
    Path nested = dataDir.resolve("a/b");
    MessageStore other = await(EmbeddedStore.open(vertx, nested.toString()));
    await(other.close());

    assertTrue(Files.isRegularFile(nested.resolve(EmbeddedStore.DIRECTORY).resolve("CURRENT")));
  }

  @Test
  void anOpenDirectoryIsLockedAndCloseReleasesIt() {
    Throwable second = assertThrows(Exception.class, () -> await(openStore()));
    assertTrue(second.getMessage().contains("lock"), second.getMessage());

    await(store.close());
    store = await(openStore());
  }

  @Test
  void anH2DataDirectoryIsRefusedWithTheWayToMigrateIt() throws Exception {
    Path old = dataDir.resolve("old");
    Files.createDirectories(old);
    Files.write(old.resolve(EmbeddedStore.H2_FILE), new byte[] {1});

    Throwable refused =
        assertThrows(Exception.class, () -> await(EmbeddedStore.open(vertx, old.toString())));

    assertTrue(
        refused.getMessage().contains("migrate-store --from " + old.toAbsolutePath()),
        refused.getMessage());
    assertFalse(Files.exists(old.resolve(EmbeddedStore.DIRECTORY)), "nothing was created");
  }

  @Test
  void aFullWriteQueueFailsFastAndKeepsTheRest() {
    MessageStore small =
        await(
            EmbeddedStore.open(
                vertx,
                dataDir.resolve("small").toString(),
                new SqlStoreOptions(
                    10,
                    5,
                    SqlStoreOptions.DEFAULT_DEDUP_RETENTION,
                    SqlStoreOptions.DEFAULT_PURGE_INTERVAL,
                    SqlStoreOptions.DEFAULT_PURGE_BATCH_ROWS)));
    try {
      List<Message> messages = new ArrayList<>();
      List<Future<MessageStore.Accepted>> accepted = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        Message message = c2c(nextMsgid(), "alice", 101, "bob", 102);
        messages.add(message);
        accepted.add(small.acceptC2c(message, "cmid-" + i));
      }

      List<Long> stored = new ArrayList<>();
      int overloaded = 0;
      for (int i = 0; i < messages.size(); i++) {
        Future<MessageStore.Accepted> result = accepted.get(i);
        await(result.otherwiseEmpty());
        if (result.succeeded()) {
          stored.add(messages.get(i).msgid());
        } else {
          assertInstanceOf(StoreOverloadedException.class, result.cause());
          overloaded++;
        }
      }
      assertTrue(overloaded > 0, "nothing was refused");
      assertFalse(stored.isEmpty(), "nothing was stored");
      List<Long> pulled = new ArrayList<>();
      MessageStore.Pulled page;
      do {
        page =
            await(
                small.pull("bob", 102, pulled.isEmpty() ? 0 : pulled.get(pulled.size() - 1), 200));
        pulled.addAll(msgids(page.messages()));
      } while (page.more());
      assertEquals(stored, pulled);
    } finally {
      await(small.close());
    }
  }

  @Test
  void expiredCmidsArePurged() throws Exception {
    await(store.close());
    store =
        await(
            openStore(
                new SqlStoreOptions(
                    SqlStoreOptions.DEFAULT_MAX_QUEUED_WRITES,
                    SqlStoreOptions.DEFAULT_MAX_BATCH_WRITES,
                    Duration.ofMillis(1),
                    Duration.ofMillis(50),
                    10)));
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 35; i++) {
      Message message = c2c(nextMsgid(), "alice", 101, "bob", 102);
      messages.add(message);
      await(store.acceptC2c(message, "cmid-" + i));
    }

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();

    while (true) {
      Message resend = c2c(nextMsgid(), "alice", 101, "bob", 102);
      // the last cmid is purged last: once it makes a new message, all 35 went
      if (!await(store.acceptC2c(resend, "cmid-34")).duplicate()) {
        break;
      }
      assertTrue(System.nanoTime() < deadline, "cmid-34 is still remembered");
      Thread.sleep(20);
    }
    assertEquals(36, pullAll("bob", 102).size(), "the purge of cmids left the messages");
    assertEquals(36, await(store.history("alice", "bob", Long.MAX_VALUE, 200)).messages().size());
  }

  /**
   * The writer reads no row of a msgid above the highest committed one; any other msgid, stored or
   * not, before or after a restart, is still read: a conflict is found, a stored message is not
   * stored twice, and the offline cap counts each row once.
   */
  @Test
  void msgidsAtOrBelowTheHighestStoredAreStillCheckedAcrossARestart() {
    SqlStoreOptions capOfThree =
        SqlStoreOptions.defaults().withQuotas(3, Duration.ZERO, Duration.ZERO);
    reopenWith(capOfThree);
    long low = nextMsgid();
    Message high = s2c(nextMsgid(), "bob", 102);
    await(store.storeOffline(List.of(high)));
    Message belowTheHighest = s2c(low, "bob", 102);
    await(store.storeOffline(List.of(belowTheHighest)));
    assertConflict(low, store.storeOffline(List.of(withLogid(belowTheHighest, "log-other"))));

    reopenWith(capOfThree);

    assertConflict(high.msgid(), store.storeOffline(List.of(withLogid(high, "log-other"))));
    await(store.storeOffline(List.of(high, belowTheHighest)));
    Message third = s2c(nextMsgid(), "bob", 102);
    await(store.storeOffline(List.of(third)));
    assertEquals(List.of(belowTheHighest, high, third), pullAll("bob", 102));
    Future<Void> fourth = store.storeOffline(List.of(s2c(nextMsgid(), "bob", 102)));
    assertFails(fourth);
    assertInstanceOf(OfflineQuotaException.class, fourth.cause(), "each row counted once");
  }

  @Test
  void theHighestMsgidIsKeptAcrossARestartWhateverIsRemoved() {
    Message message = c2c(nextMsgid(), "alice", 101, "bob", 102);
    await(store.acceptC2c(message, "cmid-1"));
    assertTrue(await(store.removeOffline("bob", 102, message.msgid())));

    await(store.close());
    store = await(openStore());

    assertEquals(message.msgid(), await(store.maxMsgid()));
  }
}
