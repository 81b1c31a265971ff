package io.courier.testkit.fakes;

import io.courier.message.Message;
import io.courier.push.Notifier;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Notifier} that records what it is handed, as {@code "stored <msgid>"} and so on. */
public final class RecordingNotifier implements Notifier {
  private final List<String> handed = new CopyOnWriteArrayList<>();

  @Override
  public void stored(Message message) {
    handed.add("stored " + message.msgid());
  }

  @Override
  public void unacked(Message message) {
    handed.add("unacked " + message.msgid());
  }

  /** Everything handed over, in order. */
  public List<String> handed() {
    return List.copyOf(handed);
  }
}
