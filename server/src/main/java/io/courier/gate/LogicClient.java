package io.courier.gate;

import io.courier.contract.LoginRequest;
import io.courier.contract.RefreshRequest;
import io.courier.contract.SessionRef;
import io.courier.contract.TokenGrant;
import io.courier.message.Message;
import io.courier.protocol.Command;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Everything a gate's connections ask of the logic roles: log in, refresh a session's token, hand
 * over a session's commands, report acknowledged pushes, and remove the presence of a session that
 * ended. An interface so that a connection is tested against a fake, without an event bus.
 */
interface LogicClient {

  /**
   * Asks the login role to log {@code request} in; fails with a {@link
   * io.vertx.core.eventbus.ReplyException} whose code is the refusal (401 …) or with the event-bus
   * failure (no logic role: 503, no answer in time: 504). It succeeds with what the gate keeps of
   * the token.
   */
  Future<TokenGrant> login(LoginRequest request);

  /**
   * Asks the login role to check the token of a logged-in session's REFRESH; fails as {@link
   * #login} (401, 403 for a token of another identity, 503, 504).
   */
  Future<TokenGrant> refresh(RefreshRequest request);

  /**
   * Hands a logged-in session's command (C2S, C2C, PULL, OFFLINE_ACK, HISTORY, PUSH_REGISTER) to
   * its role. The result is the response body, whatever its code.
   */
  Future<JsonObject> handle(SessionRef session, Command command, JsonObject body);

  /** The client acknowledged the PUSH of {@code message}: it can leave the offline store. */
  void acked(Message message);

  /**
   * The qos-1 PUSH of {@code message} was not acknowledged within the ack timeout, or its
   * connection dropped: the push role may wake the app (docs/push.md). No answer.
   */
  default void unacked(Message message) {}

  /**
   * Removes the presence record of {@code session}, which ended; a newer login of the same pair
   * keeps its own record.
   */
  Future<Boolean> removePresence(SessionRef session);

  /**
   * The connection of {@code session} ({@code null} when it had not logged in) is being kicked with
   * 4005 for its frame rate. Admission control ({@link AdmittedLogin}) remembers it; the logic
   * roles have nothing to do.
   */
  default void kickedForFrameRate(SessionRef session) {}
}
