package io.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.body.C2sMessage;
import io.courier.store.C2sOutbox.Remembered;
import io.courier.store.C2sOutbox.Waiting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link C2sOutbox} does (docs/storage.md, C2S outbox), run against each backend. */
abstract class C2sOutboxContract {
  protected Vertx vertx;
  protected C2sOutbox outbox;

  /** A fresh outbox at the first call of a test; the same data when called again (a reopen). */
  protected abstract Future<C2sOutbox> openOutbox();

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    outbox = await(openOutbox());
  }

  @AfterEach
  void close() {
    if (outbox != null) {
      await(outbox.close());
    }
    vertx.close().await();
  }

  @Test
  void aCmidKeepsItsFirstMsgidPerSenderExactly() {
    assertEquals(
        new Remembered(11, 1_000, false), await(outbox.remember("ann", 201, "c", 11, 1_000)));
    assertEquals(
        new Remembered(11, 1_000, true), await(outbox.remember("ann", 201, "c", 12, 2_000)));
    assertFalse(await(outbox.remember("ann", 201, "c ", 13, 2_000)).duplicate(), "trailing space");
    assertFalse(await(outbox.remember("ann", 201, "C", 14, 2_000)).duplicate(), "case");
    assertFalse(await(outbox.remember("ann", 202, "c", 15, 2_000)).duplicate(), "appcode");
    assertFalse(await(outbox.remember("Ann", 201, "c", 16, 2_000)).duplicate(), "uid");
  }

  @Test
  void queuesKeepTheirOrderAndOnlyTheirHeadsAreGiven() {
    assertTrue(await(outbox.store(message("ann", 7, 30), 0)));
    assertTrue(await(outbox.store(message("ann", 7, 20), 0)));
    assertTrue(await(outbox.store(message("ann", 8, 10), 0)));
    assertTrue(await(outbox.store(message("bob", 7, 40), 0)));
    assertFalse(await(outbox.store(message("ann", 7, 20), 0)), "a resend is not stored twice");

    assertEquals(List.of(10L, 30L, 40L), msgids(await(outbox.heads(10, 1))));
    assertEquals(1, await(outbox.heads(1, 1)).size());
    assertTrue(await(outbox.hasWaiting("ann", 201, 7)));
    assertFalse(await(outbox.hasWaiting("ann", 201, 9)));
    assertFalse(await(outbox.hasWaiting("ann", 202, 7)));

    Waiting head =
        await(outbox.heads(10, 1)).stream()
            .filter(waiting -> waiting.message().msgid() == 30)
            .findFirst()
            .orElseThrow();
    await(outbox.remove(head));
    assertEquals(List.of(10L, 20L, 40L), msgids(await(outbox.heads(10, 1))));
    assertTrue(
        await(outbox.heads(10, 1)).stream()
            .anyMatch(waiting -> waiting.message().equals(message("ann", 7, 20))));
  }

  @Test
  void aSenderAtItsCapIsRefusedOverAllItsQueuesAndOthersAreNot() {
    await(outbox.store(message("ann", 7, 1), 2));
    await(outbox.store(message("ann", 8, 2), 2));

    CompletionException full =
        assertThrows(CompletionException.class, () -> await(outbox.store(message("ann", 9, 3), 2)));
    assertInstanceOf(C2sOutboxFullException.class, full.getCause());
    assertFalse(await(outbox.store(message("ann", 7, 1), 2)), "a resend at the cap is no refusal");
    assertTrue(await(outbox.store(message("bob", 7, 4), 2)));
    assertEquals(List.of(1L, 2L, 4L), msgids(await(outbox.heads(10, 1))));
  }

  @Test
  void aClaimIsHeldByOneUntilReleasedRemovedOrExpired() {
    await(outbox.store(message("ann", 7, 1), 0));
    await(outbox.store(message("ann", 7, 2), 0));
    Waiting head = await(outbox.heads(10, 1_000)).get(0);

    assertTrue(await(outbox.claim(head, 1_000, 5_000)));
    assertFalse(await(outbox.claim(head, 2_000, 6_000)), "held");
    assertEquals(List.of(), await(outbox.heads(10, 2_000)), "a claimed head is not given");
    assertTrue(await(outbox.claim(head, 5_001, 9_000)), "expired");
    await(outbox.release(head));
    assertTrue(await(outbox.claim(head, 5_002, 9_000)), "released");
    await(outbox.remove(head));
    assertFalse(await(outbox.claim(head, 10_000, 20_000)), "removed");
    assertEquals(List.of(2L), msgids(await(outbox.heads(10, 10_000))));
  }

  @Test
  void thePurgeDeletesOldMessagesAndCmids() {
    await(outbox.store(message("ann", 7, 1, 1_000), 0));
    await(outbox.store(message("ann", 7, 2, 3_000), 0));
    await(outbox.remember("ann", 201, "old", 1, 1_000));
    await(outbox.remember("ann", 201, "new", 2, 3_000));

    assertEquals(1, await(outbox.purge(2_000)));

    assertEquals(List.of(2L), msgids(await(outbox.heads(10, 1))));
    assertFalse(await(outbox.remember("ann", 201, "old", 5, 4_000)).duplicate());
    assertTrue(await(outbox.remember("ann", 201, "new", 6, 4_000)).duplicate());
    assertEquals(0, await(outbox.purge(2_000)));
  }

  @Test
  void whatWasStoredOutlivesAReopen() {
    await(outbox.store(message("ann", 7, 1), 0));
    await(outbox.remember("ann", 201, "c", 1, 1_000));
    await(outbox.close());
    outbox = null;
    outbox = await(openOutbox());

    assertEquals(List.of(1L), msgids(await(outbox.heads(10, 1))));
    assertTrue(await(outbox.remember("ann", 201, "c", 2, 2_000)).duplicate());
    assertTrue(await(outbox.store(message("ann", 7, 2), 0)));
    assertEquals(List.of(1L), msgids(await(outbox.heads(10, 1))), "order kept over a reopen");
  }

  private static C2sMessage message(String uid, int msgtype, long msgid) {
    return message(uid, msgtype, msgid, 1_000);
  }

  private static C2sMessage message(String uid, int msgtype, long msgid, long senddate) {
    return new C2sMessage(msgid, uid, 201, msgtype, "content " + msgid, senddate, "log-" + msgid);
  }

  /** The msgids of {@code heads}, ascending: the order of heads of different queues is free. */
  private static List<Long> msgids(List<Waiting> heads) {
    return heads.stream().map(head -> head.message().msgid()).sorted().toList();
  }

  protected static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
