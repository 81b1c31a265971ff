package io.courier.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the process that writes loses no acknowledged message: {@link CrashWriter}
 * runs in its own JVM, is killed while hundreds of writes are in flight, and the store reopened
 * here must hold every message it had acknowledged.
 */
class EmbeddedStoreCrashTest {
  /** Acknowledged messages after which the writer is killed: about a second of writing. */
  private static final int KILL_AFTER_ACKS = 10_000;

  @TempDir Path dataDir;

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void killingTheWriterLosesNoAcknowledgedMessage() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process writer =
        new ProcessBuilder(
                java, "-Xmx512m", "-cp", classpath, CrashWriter.class.getName(), dataDir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    Set<Long> acked = new HashSet<>();
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith(CrashWriter.ACKED)) {
          acked.add(Long.parseLong(line.substring(CrashWriter.ACKED.length())));
          if (acked.size() == KILL_AFTER_ACKS) {
            // SIGKILL through the handle: Process.destroyForcibly would also close the output still
            // to be read.
            writer.toHandle().destroyForcibly();
          }
        }
      }
    } finally {
      writer.destroyForcibly();
      writer.waitFor(30, TimeUnit.SECONDS);
    }
    assertTrue(
        acked.size() >= KILL_AFTER_ACKS,
        "the writer acknowledged only " + acked.size() + " messages");

    Vertx vertx = Vertx.vertx();
    try {
      MessageStore store = EmbeddedStore.open(vertx, dataDir.toString()).await();
      Set<Long> stored = new HashSet<>();
      MessageStore.Pulled page;
      long after = 0;
      do {
        page = store.pull("bob", 102, after, 200).await();
        page.messages().forEach(message -> stored.add(message.msgid()));
        after =
            page.messages().isEmpty()
                ? after
                : page.messages().get(page.messages().size() - 1).msgid();
      } while (page.more());
      store.close().await();

      List<Long> lost = acked.stream().filter(msgid -> !stored.contains(msgid)).sorted().toList();
      assertTrue(
          lost.isEmpty(),
          lost.size()
              + " of "
              + acked.size()
              + " acknowledged messages lost, the first: "
              + lost.subList(0, Math.min(10, lost.size())));
    } finally {
      vertx.close().await();
    }
  }
}
