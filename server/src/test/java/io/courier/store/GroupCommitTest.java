package io.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The group commit's rules that need no database: a transient failure is run again. */
class GroupCommitTest {

  private static final class Write extends GroupCommit.Request<String> {}

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
}
