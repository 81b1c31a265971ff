package io.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.mysqlclient.MySQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The group commit's rules that need no database: a transient failure is run again; a committed
 * batch completes each request on its caller's context, in order.
 */
class GroupCommitTest {

  private static final class Write extends GroupCommit.Request<String> {}

  /** A write whose transaction sets its name as its result. */
  private static final class Named extends GroupCommit.Request<String> {
    private final String name;

    Named(String name) {
      this.name = name;
    }
  }

  private static MySQLException lockConflict(int code) {
    return new MySQLException("Deadlock found when trying to get lock", code, "40001");
  }

  @Test
  void aTransactionRolledBackByALockConflictIsRunAgainAndCommits() {
    AtomicInteger runs = new AtomicInteger();
    GroupCommit commits =
        new GroupCommit(
            10,
            10,
            batch ->
                runs.incrementAndGet() < 3
                    ? Future.failedFuture(lockConflict(runs.get() == 1 ? 1213 : 1205))
                    : Future.succeededFuture(),
            SqlMessageStore::rolledBackByLockConflict);

    Future<String> written = commits.submit(new Write());

    assertTrue(written.succeeded(), String.valueOf(written.cause()));
    assertEquals(3, runs.get());
  }

  @Test
  void otherFailuresAndEndlessConflictsFailTheWrite() {
    AtomicInteger runs = new AtomicInteger();
    GroupCommit deadlocked =
        new GroupCommit(
            10,
            10,
            batch -> {
              runs.incrementAndGet();
              return Future.failedFuture(lockConflict(1213));
            },
            SqlMessageStore::rolledBackByLockConflict);
    assertTrue(deadlocked.submit(new Write()).failed());
    assertEquals(1 + GroupCommit.TRANSIENT_RETRIES, runs.get());

    runs.set(0);
    GroupCommit down =
        new GroupCommit(
            10,
            10,
            batch -> {
              runs.incrementAndGet();
              return Future.failedFuture(lockConflict(2013));
            },
            SqlMessageStore::rolledBackByLockConflict);
    assertTrue(down.submit(new Write()).failed());
    assertEquals(1, runs.get(), "a lost connection is not run again");
  }

  /**
   * One batch of requests from two contexts: each completes on its own context, those of a context
   * in the order they were submitted, and a completion handler that throws keeps none of the others
   * from completing.
   */
  @Test
  void aBatchCompletesEachRequestOnItsContextInOrder() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Promise<Void> first = Promise.promise();
      List<Integer> batchSizes = new CopyOnWriteArrayList<>();
      GroupCommit commits =
          new GroupCommit(
              100,
              100,
              batch -> {
                batchSizes.add(batch.size());
                batch.forEach(request -> ((Named) request).result(((Named) request).name));
                return batchSizes.size() == 1 ? first.future() : Future.succeededFuture();
              });
      commits.submit(new Named("running"));
      VertxInternal internal = (VertxInternal) vertx;
      Context[] contexts = {internal.createEventLoopContext(), internal.createEventLoopContext()};
      ConcurrentLinkedQueue<String> completed = new ConcurrentLinkedQueue<>();
      List<Future<String>> written = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Context context = contexts[i % 2];
        String name = i % 2 + "-" + i;
        CompletableFuture<Future<String>> submitted = new CompletableFuture<>();
        context.runOnContext(
            v ->
                submitted.complete(
                    commits
                        .submit(new Named(name))
                        .onSuccess(
                            result -> {
                              completed.add(
                                  (Vertx.currentContext() == context ? "" : "elsewhere ") + result);
                              if (name.equals("0-2")) {
                                throw new IllegalStateException("a failing handler");
                              }
                            })));
        written.add(submitted.get(10, TimeUnit.SECONDS));
      }

      first.complete();
      for (Future<String> write : written) {
        write.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }

      assertEquals(List.of(1, 6), batchSizes);
      List<String> ofFirst = completed.stream().filter(name -> name.startsWith("0-")).toList();
      List<String> ofSecond = completed.stream().filter(name -> name.startsWith("1-")).toList();
      assertEquals(List.of("0-0", "0-2", "0-4"), ofFirst);
      assertEquals(List.of("1-1", "1-3", "1-5"), ofSecond);
    } finally {
      vertx.close().await();
    }
  }
}
