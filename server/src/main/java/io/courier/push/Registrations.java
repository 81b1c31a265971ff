package io.courier.push;

import io.courier.contract.SessionRef;
import io.courier.contract.SessionRequest;
import io.courier.protocol.Code;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.PushRegistration;
import io.courier.protocol.body.Result;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PUSH_REGISTER as the push role answers it (docs/protocol.md 9.13): registers or removes the
 * session's device, the device being the one the gate put in the body. Confined to the push role's
 * context.
 *
 * <p>The registrations of one device are applied in the order they arrive: each waits for the one
 * before it, so a LOGIN's registration and a PUSH_REGISTER right behind it cannot overtake each
 * other on their way through the registry's pool.
 */
final class Registrations {
  private static final Logger LOG = LoggerFactory.getLogger(Registrations.class);

  private final DeviceRegistry registry;
  private final LongSupplier clock;
  private final MeterRegistry meters;

  /** The last registration of each device still being applied. */
  private final Map<String, Future<JsonObject>> applying = new HashMap<>();

  Registrations(DeviceRegistry registry, LongSupplier clock, MeterRegistry meters) {
    this.registry = registry;
    this.clock = clock;
    this.meters = meters;
  }

  Future<JsonObject> handle(SessionRequest request) {
    SessionRef session = request.session();
    PushRegistration registration;
    try {
      registration = PushRegistration.fromJson(request.body());
    } catch (MalformedBodyException e) {
      count("register", "refused");
      return Future.succeededFuture(Result.of(e).toJson());
    }
    String device = PushRegistration.deviceOf(request.body());
    String key = session.appcode() + ":" + session.uid() + ":" + device;
    Future<JsonObject> previous = applying.getOrDefault(key, Future.succeededFuture());
    Future<JsonObject> applied = previous.transform(done -> apply(session, device, registration));
    applying.put(key, applied);
    return applied.onComplete(
        done -> {
          if (applying.get(key) == applied) {
            applying.remove(key);
          }
        });
  }

  private Future<JsonObject> apply(
      SessionRef session, String device, PushRegistration registration) {
    Future<?> written =
        registration.removes()
            ? registry.unregister(session.uid(), session.appcode(), device)
            : registry.register(
                new Device(
                    session.uid(),
                    session.appcode(),
                    device,
                    registration.provider(),
                    registration.token(),
                    registration.topic(),
                    clock.getAsLong()));
    String op = registration.removes() ? "unregister" : "register";
    return written
        .map(
            v -> {
              count(op, "ok");
              return Result.ok().toJson();
            })
        .otherwise(
            e -> {
              count(op, "failed");
              LOG.warn(
                  "push registration of {}/{} not recorded: {}",
                  session.uid(),
                  session.appcode(),
                  e.getMessage());
              return Result.error(Code.UNAVAILABLE, "device registry unavailable").toJson();
            });
  }

  /** {@code courier_push_registrations_total{op, result}}. */
  private void count(String op, String result) {
    Counter.builder("courier.push.registrations")
        .description("device registrations by operation and result")
        .tag("op", op)
        .tag("result", result)
        .register(meters)
        .increment();
  }
}
