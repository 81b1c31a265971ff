package io.courier.faults;

import java.util.HashSet;
import java.util.Set;

/**
 * The qos-1 C2S keys answered with code 0 and the keys the business received, so that the final
 * phase can wait, with a bound, until the C2S outbox has handed every stored message over.
 */
final class C2sLedger {
  private final Set<String> answered = new HashSet<>();
  private final Set<String> received = new HashSet<>();

  synchronized void answered(String key) {
    answered.add(key);
    notifyAll();
  }

  synchronized void received(String key) {
    received.add(key);
    notifyAll();
  }

  synchronized int pending() {
    int pending = 0;
    for (String key : answered) {
      if (!received.contains(key)) {
        pending++;
      }
    }
    return pending;
  }

  /** Waits until nothing answered is still to be received, or the bound passed; what is left. */
  synchronized int awaitDrained(long boundMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + boundMs;
    int pending = pending();
    while (pending > 0) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        break;
      }
      wait(left);
      pending = pending();
    }
    return pending;
  }
}
