package io.courier.gate;

import io.courier.contract.SessionRef;
import io.courier.protocol.Command;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.PushRegistration;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's device for offline push (docs/protocol.md 9.12): the device its LOGIN named with
 * {@code device_id}, the LOGIN's {@code push} registration, sent once the login succeeded, and
 * LOGOUT's {@code unregister}. Every registration travels as a PUSH_REGISTER to the push role, with
 * the session's device in its body: a client cannot name another device than its LOGIN did.
 * Confined to the connection's event loop.
 *
 * @implNote The LOGIN's registration and LOGOUT's removal are sent without waiting: the LOGIN
 *     answer does not wait for the registry of devices (a slow registry must not slow logins), and
 *     a PUSH_REGISTER pipelined after the LOGIN is released only after the registration was sent,
 *     on the same way to the same push role when this node runs it, which applies a device's
 *     registrations in order.
 */
final class DevicePush {
  private static final Logger LOG = LoggerFactory.getLogger(DevicePush.class);

  private final String sessionId;
  private final LogicClient logic;
  private String device = PushRegistration.NO_DEVICE;
  private PushRegistration atLogin;

  DevicePush(String sessionId, LogicClient logic) {
    this.sessionId = sessionId;
    this.logic = logic;
  }

  /** Reads the LOGIN's {@code device_id} and {@code push}; 400 when {@code push} is invalid. */
  void login(JsonObject body) throws MalformedBodyException {
    atLogin = PushRegistration.ofLogin(body);
    device = PushRegistration.deviceOf(body);
  }

  /** The login succeeded: the LOGIN's registration, if any, goes to the push role. */
  void loggedIn(SessionRef session) {
    if (atLogin != null) {
      send(session, atLogin.toJson());
      atLogin = null;
    }
  }

  /** The body of a PUSH_REGISTER, to hand to the push role: with the session's device. */
  JsonObject register(JsonObject body) {
    return body.put("device_id", device);
  }

  /** A LOGOUT of {@code session}: with {@code unregister: true} the registration is removed. */
  void logout(SessionRef session, JsonObject body) {
    if (PushRegistration.unregisterAtLogout(body)) {
      send(session, new PushRegistration(null, "", null).toJson());
    }
  }

  private void send(SessionRef session, JsonObject registration) {
    logic
        .handle(session, Command.PUSH_REGISTER, register(registration))
        .onComplete(
            answer -> {
              if (answer.failed() || answer.result().getInteger("code", -1) != 0) {
                LOG.info(
                    "session {}: push registration not recorded: {}",
                    sessionId,
                    answer.failed() ? answer.cause().getMessage() : answer.result().encode());
              }
            });
  }
}
