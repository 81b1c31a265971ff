package io.courier.push;

import io.courier.ops.NotifyResult;
import io.courier.ops.Tracker;
import io.courier.protocol.body.PushProvider;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns triggers into notifications: drains the {@link Intake}, lets the {@link Collapser} fold a
 * receiver's triggers, reads the receiver's devices from the {@link DeviceRegistry}, hands one
 * notification per device to its provider's {@link Lane}, and acts on the final answers: traced and
 * counted, and a dead token's registration removed. Confined to the push role's context.
 *
 * <p>At most {@code maxBacklog} triggers and notifications are in its hands at once (reading
 * devices, in a lane, waiting for a resend); while that many are, it stops draining, so the intake
 * fills and counts the overflow instead of this role holding unbounded work for a provider that
 * does not keep up.
 */
final class Dispatcher implements Lane.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final Intake intake;
  private final Collapser collapser;
  private final DeviceRegistry registry;
  private final Scheduler scheduler;
  private final Tracker tracker;
  private final String title;
  private final int maxBacklog;
  private final long windowMs;
  private final Map<PushProvider, Lane> lanes = new EnumMap<>(PushProvider.class);
  private int lookups;
  private boolean draining;
  private boolean drainAgain;

  Dispatcher(
      Intake intake,
      Collapser collapser,
      DeviceRegistry registry,
      Scheduler scheduler,
      Tracker tracker,
      String title,
      int maxBacklog,
      long windowMs) {
    this.intake = intake;
    this.collapser = collapser;
    this.registry = registry;
    this.scheduler = scheduler;
    this.tracker = tracker;
    this.title = title;
    this.maxBacklog = maxBacklog;
    this.windowMs = windowMs;
  }

  /** Sends the notifications of {@code lane}'s provider through it. */
  void addLane(Lane lane) {
    lanes.put(lane.provider(), lane);
  }

  /** The number of providers it sends through. */
  int lanes() {
    return lanes.size();
  }

  /** Triggers and notifications in hand. */
  int backlog() {
    int load = lookups;
    for (Lane lane : lanes.values()) {
      load += lane.load();
    }
    return load;
  }

  /**
   * Takes triggers from the intake while the backlog has room. A call from within a drain (a
   * registry or a sender that answers at once) only asks the running drain to look again, so the
   * stack does not grow with the number of triggers.
   */
  void drain() {
    if (draining) {
      drainAgain = true;
      return;
    }
    draining = true;
    try {
      do {
        drainAgain = false;
        intake.draining();
        while (backlog() < maxBacklog) {
          Trigger trigger = intake.poll();
          if (trigger == null) {
            break;
          }
          accept(trigger);
        }
      } while (drainAgain);
    } finally {
      draining = false;
    }
  }

  private void accept(Trigger trigger) {
    Collapser.Decision decision = collapser.offer(trigger);
    if (decision.collapsed() != null) {
      tracker.collapsed(decision.collapsed().message(), trigger.message().msgid());
    }
    if (decision.send()) {
      send(trigger);
      if (collapser.enabled()) {
        scheduler.schedule(windowMs, () -> windowEnded(trigger.receiver()));
      }
    }
  }

  private void windowEnded(Trigger.Receiver receiver) {
    Trigger held = collapser.windowEnded(receiver);
    if (held != null) {
      send(held);
      scheduler.schedule(windowMs, () -> windowEnded(receiver));
    }
  }

  private void send(Trigger trigger) {
    lookups++;
    registry
        .devices(trigger.message().toUid(), trigger.message().toAppcode())
        .onComplete(
            found -> {
              lookups--;
              if (found.failed()) {
                tracker.notifyFailed(
                    trigger.message(),
                    null,
                    null,
                    NotifyResult.FAILED,
                    "device registry unavailable: " + found.cause().getMessage());
              } else {
                notifyDevices(trigger, found.result());
              }
              drain();
            });
  }

  private void notifyDevices(Trigger trigger, List<Device> devices) {
    if (devices.isEmpty()) {
      tracker.notifyFailed(
          trigger.message(), null, null, NotifyResult.NO_DEVICE, "no device registered");
      return;
    }
    for (Device device : devices) {
      Lane lane = lanes.get(device.provider());
      if (lane == null) {
        tracker.notifyFailed(
            trigger.message(),
            device.provider(),
            device.device(),
            NotifyResult.FAILED,
            device.provider().wire() + " is not configured on this node");
      } else {
        lane.submit(new Notification(device, trigger, title, 1));
      }
    }
  }

  @Override
  public void done(Notification notification, Answer answer) {
    Device device = notification.device();
    switch (answer.verdict()) {
      case SENT -> tracker.notified(notification.message(), device.provider(), device.device());
      case DEAD ->
          registry
              .removeDead(device.provider(), device.token())
              .onComplete(
                  removed ->
                      tracker.notifyFailed(
                          notification.message(),
                          device.provider(),
                          device.device(),
                          NotifyResult.REJECTED,
                          answer.describe()
                              + (removed.succeeded() && removed.result()
                                  ? "; registration removed"
                                  : "; registration already gone")));
      default -> {
        if (answer.verdict() == Answer.Verdict.FAILED) {
          LOG.warn(
              "{} refused a notification for {}/{}: {}",
              device.provider().wire(),
              device.uid(),
              device.appcode(),
              answer.describe());
        }
        tracker.notifyFailed(
            notification.message(),
            device.provider(),
            device.device(),
            NotifyResult.FAILED,
            answer.describe()
                + (answer.verdict() == Answer.Verdict.RETRY
                    ? " after " + notification.attempt() + " attempts"
                    : ""));
      }
    }
    drain();
  }
}
