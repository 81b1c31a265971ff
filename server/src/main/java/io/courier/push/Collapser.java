package io.courier.push;

import java.util.HashMap;
import java.util.Map;

/**
 * Folds the notifications of one receiver within a window into one: the first trigger of a receiver
 * is sent at once and opens a window; triggers within it are held, each replacing the one held
 * before (which is then collapsed); when the window ends, the held trigger is sent and opens the
 * next window, or, if none is held, the receiver is forgotten. So a receiver gets at most one
 * notification per window, the first without delay, and the last message of a burst is never left
 * unannounced. Confined to the push role's context; the caller times the windows.
 *
 * @implNote Per receiver {@code (uid, appcode)}, which covers per device: a trigger concerns every
 *     device of its receiver, and collapsing before the registry is read saves a lookup per held
 *     trigger. Only receivers notified within the last window are kept, so the map is bounded by
 *     the notification rate times the window.
 */
final class Collapser {
  /**
   * What to do with a trigger: send it now or hold it; {@code collapsed} is a trigger it replaced.
   */
  record Decision(boolean send, Trigger collapsed) {}

  private final boolean enabled;
  private final Map<Trigger.Receiver, Window> windows = new HashMap<>();

  /**
   * @param enabled false: every trigger is sent, no window is opened
   */
  Collapser(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * Where {@code trigger} goes. When it is to be sent and {@link #enabled}, a window opened for its
   * receiver: the caller calls {@link #windowEnded} when it ends.
   */
  Decision offer(Trigger trigger) {
    if (!enabled) {
      return new Decision(true, null);
    }
    Window window = windows.get(trigger.receiver());
    if (window == null) {
      windows.put(trigger.receiver(), new Window());
      return new Decision(true, null);
    }
    Trigger replaced = window.held;
    window.held = trigger;
    return new Decision(false, replaced);
  }

  /**
   * The window of {@code receiver} ended: the trigger to send now, which opens the next window
   * (call again when it ends), or null, and the receiver is forgotten.
   */
  Trigger windowEnded(Trigger.Receiver receiver) {
    Window window = windows.get(receiver);
    if (window == null) {
      return null;
    }
    Trigger held = window.held;
    if (held == null) {
      windows.remove(receiver);
    } else {
      window.held = null;
    }
    return held;
  }

  /** Whether windows are opened at all. */
  boolean enabled() {
    return enabled;
  }

  /** Receivers with an open window. */
  int size() {
    return windows.size();
  }

  private static final class Window {
    Trigger held;
  }
}
