package io.courier.client.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Decides which received messages {@code listen} prints, and in which order: each msgid once (a
 * resent PUSH, or a message that comes both as a PUSH and in a PULL page, is printed the first time
 * only), and the offline messages of the initial PULL before the pushes that arrived while it ran.
 * Thread-safe: pushes come from an event loop, pages from the command's thread.
 *
 * @implNote The seen msgids are the most recent {@value #REMEMBERED}: duplicates arrive within the
 *     resend window (seconds) or during the initial PULL, so a bounded memory catches them and a
 *     listener left running for days does not grow without bound.
 */
final class MessageFeed {
  static final int REMEMBERED = 10_000;
  static final String PULLED = "pulled";
  static final String PUSHED = "push";

  private final Consumer<String> out;
  private final Set<String> seen =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > REMEMBERED;
            }
          });
  private List<JsonObject> heldPushes = new ArrayList<>();

  MessageFeed(Consumer<String> out) {
    this.out = out;
  }

  /** A PUSH body: printed now, or held until {@link #pullDone()} while the PULL runs. */
  synchronized void pushed(JsonObject push) {
    if (heldPushes != null) {
      heldPushes.add(push);
    } else {
      print(PUSHED, push);
    }
  }

  /** A page of the initial PULL; the result is how many of its messages were new. */
  synchronized int pulled(JsonArray page) {
    int printed = 0;
    for (int i = 0; i < page.size(); i++) {
      if (print(PULLED, page.getJsonObject(i))) {
        printed++;
      }
    }
    return printed;
  }

  /** The initial PULL is over: prints the held pushes, and every later push at once. */
  synchronized void pullDone() {
    if (heldPushes == null) {
      return;
    }
    List<JsonObject> held = heldPushes;
    heldPushes = null;
    held.forEach(push -> print(PUSHED, push));
  }

  private boolean print(String source, JsonObject message) {
    if (!seen.add(message.getString("msgid"))) {
      return false;
    }
    out.accept(Lines.message(source, message));
    return true;
  }
}
