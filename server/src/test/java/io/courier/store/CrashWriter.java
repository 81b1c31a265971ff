package io.courier.store;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.vertx.core.Vertx;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.concurrent.Semaphore;

/**
 * The process that {@link EmbeddedStoreCrashTest} kills: it accepts C2C messages to {@code bob/102}
 * in the store under {@code args[0]}, 500 at a time, and prints {@code acked <msgid>} for each one
 * whose future succeeded — what a sender would have been told — until it dies.
 */
final class CrashWriter {
  static final String ACKED = "acked ";

  private CrashWriter() {}

  public static void main(String[] args) throws InterruptedException {
    Vertx vertx = Vertx.vertx();
    MessageStore store = EmbeddedStore.open(vertx, args[0]).await();
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
    Semaphore inFlight = new Semaphore(500);
    for (long msgid = 1; ; msgid++) {
      inFlight.acquire();
      long id = msgid;
      Message message =
          new Message(
              id,
              Kind.C2C,
              "alice" + id % 100,
              101,
              "bob",
              102,
              1,
              "message " + id + " " + "x".repeat(100),
              System.currentTimeMillis(),
              "log-" + id);
      store
          .acceptC2c(message, "cmid-" + id)
          .onComplete(
              accepted -> {
                if (accepted.succeeded()) {
                  out.println(ACKED + id);
                }
                inFlight.release();
              });
    }
  }
}
