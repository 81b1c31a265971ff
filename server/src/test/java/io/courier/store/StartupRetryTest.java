package io.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.testkit.CuttableProxy;
import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node whose MySQL does not answer yet when it starts (found by the fault suite: a first
 * connection that timed out on a loaded machine stopped the node's start) opens its store once
 * MySQL answers, within the start-up bound, and gives up with the backend's error after it.
 */
class StartupRetryTest {
  private static final List<String> DATABASES = List.of("courier_startup_retry");
  private final Vertx vertx = Vertx.vertx();

  @BeforeAll
  static void mysqlRuns() {
    LocalServices.requireMysql();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aStoreWhoseMysqlComesUpAfterTheFirstAttemptOpens() throws Exception {
    MySqlDatabases.recreate(vertx, DATABASES);
    CuttableProxy mysql = CuttableProxy.inFrontOfMysql(vertx);
    mysql.cut();
    Promise<Void> firstAttemptFailed = Promise.promise();
    Future<MessageStore> opening =
        StartupRetry.open(
            vertx,
            "message store",
            TimeUnit.SECONDS.toMillis(60),
            () -> open(mysql.port()).onFailure(failure -> firstAttemptFailed.tryComplete()));

    firstAttemptFailed.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    mysql.restore();
    MessageStore store =
        opening.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    try {
      assertEquals(0L, store.maxMsgid().await());
    } finally {
      store.close().await();
    }
  }

  @Test
  void afterTheBoundTheLastFailureIsTheResult() {
    CuttableProxy mysql = CuttableProxy.inFrontOfMysql(vertx);
    mysql.cut();
    AtomicInteger attempts = new AtomicInteger();

    Future<MessageStore> opening =
        StartupRetry.open(
            vertx,
            "message store",
            TimeUnit.SECONDS.toMillis(3),
            () -> {
              attempts.incrementAndGet();
              return open(mysql.port());
            });

    assertThrows(
        Exception.class,
        () -> opening.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    assertTrue(attempts.get() >= 2, "tried again within the bound: " + attempts.get());
  }

  private Future<MessageStore> open(int port) {
    return MySqlStore.open(
        vertx,
        DATABASES.stream().map(name -> MySqlDatabases.uri("127.0.0.1", port, name)).toList(),
        SqlStoreOptions.defaults());
  }
}
