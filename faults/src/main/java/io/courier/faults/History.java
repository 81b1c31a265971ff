package io.courier.faults;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The history of a run: one JSON object per line, in the order the events happened in this process.
 * Every event has {@code ev} (its type) and {@code t} (ms since the epoch, this machine's clock,
 * which no fault changes). The types and their fields are listed in docs/faults.md; {@link Checker}
 * reads them.
 *
 * <p>Writers are the terminals' threads, the event loops that receive pushes, the businesses and
 * the fault injector, so every write is synchronized: the file order is the order in which the
 * events were recorded, which the checker uses for the receiving side of per-sender order.
 */
final class History implements AutoCloseable {
  /** Code recorded for a request that got no answer: timed out, or its connection closed. */
  static final int NO_ANSWER = -1;

  private final BufferedWriter out;
  private final AtomicLong ids = new AtomicLong();

  private History(BufferedWriter out) {
    this.out = out;
  }

  static History create(Path file) throws IOException {
    return new History(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
  }

  /** A new operation id; ids grow in the order operations are started. */
  long nextOpId() {
    return ids.incrementAndGet();
  }

  synchronized void write(JsonObject event) {
    try {
      out.write(event.encode());
      out.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject event(String type) {
    return new JsonObject().put("ev", type).put("t", System.currentTimeMillis());
  }

  void node(String name, String vertxId, boolean up) {
    write(event("node").put("name", name).put("vertx", vertxId).put("state", up ? "up" : "down"));
  }

  void phase(String name) {
    write(event("phase").put("name", name));
  }

  void presence(List<JsonArray> records) {
    write(event("presence").put("recs", new JsonArray(new ArrayList<>(records))));
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }

  /**
   * Reads a history file written by this class. A last line cut short (the history of a run still
   * going, or killed mid-write) is left out.
   */
  static List<JsonObject> read(Path file) throws IOException {
    List<JsonObject> events = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        events.add(new JsonObject(line));
      } catch (DecodeException e) {
        if (i < lines.size() - 1) {
          throw e;
        }
      }
    }
    return events;
  }
}
