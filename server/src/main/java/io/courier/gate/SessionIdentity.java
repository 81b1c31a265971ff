package io.courier.gate;

import io.courier.contract.LoginRequest;
import io.courier.contract.RefreshRequest;
import io.courier.contract.SessionRef;
import io.courier.contract.TokenGrant;
import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a connection is, from its first valid LOGIN on: the identity that LOGIN names, the node's
 * record of it once logged in, and the removal of its presence when the connection ends. Confined
 * to the connection's event loop.
 *
 * <p>The removal waits for the reply to the last LOGIN: sent earlier, it could reach the presence
 * store before the login it undoes, and leave a record of a connection that no longer exists.
 */
final class SessionIdentity {
  private static final Logger LOG = LoggerFactory.getLogger(SessionIdentity.class);

  private final String sessionId;
  private final LocalSessions sessions;
  private final LogicClient logic;

  /** The identity of the last login attempt; null before the first valid LOGIN. */
  private SessionRef ref;

  private Future<TokenGrant> loginReply = Future.succeededFuture();

  SessionIdentity(String sessionId, LocalSessions sessions, LogicClient logic) {
    this.sessionId = sessionId;
    this.sessions = sessions;
    this.logic = logic;
  }

  /**
   * Asks the login role to log in as the LOGIN {@code body} says; throws, and asks nothing, when
   * its fields are missing or bad (400).
   */
  Future<TokenGrant> login(JsonObject body) throws MalformedBodyException {
    LoginRequest request =
        new LoginRequest(
            Fields.uid(body, "uid"),
            Fields.appcode(body, "appcode"),
            Fields.string(body, "token"),
            sessions.node(),
            sessionId);
    ref = new SessionRef(request.uid(), request.appcode(), request.node(), sessionId, 0);
    loginReply = logic.login(request);
    return loginReply;
  }

  /**
   * The login succeeded at {@code now} (ms since the epoch): the node's presence refresh sees it.
   */
  void loggedIn(long now) {
    ref = new SessionRef(ref.uid(), ref.appcode(), ref.node(), sessionId, now);
    sessions.loggedIn(ref);
  }

  /**
   * Asks the login role whether {@code token} may carry the logged-in session on past its current
   * token's expiry.
   */
  Future<TokenGrant> refresh(String token) {
    return logic.refresh(new RefreshRequest(ref.uid(), ref.appcode(), token, sessionId));
  }

  /** The logged-in session, or the one whose login is being decided. */
  SessionRef ref() {
    return ref;
  }

  /** The connection ended: its presence is removed once its last login is decided. */
  void ended() {
    if (ref == null) {
      return;
    }
    SessionRef ended = ref;
    loginReply.onComplete(
        reply ->
            logic
                .removePresence(ended)
                .onFailure(
                    e ->
                        LOG.warn(
                            "session {}: presence not removed, it expires or is replaced: {}",
                            sessionId,
                            e.getMessage())));
  }
}
