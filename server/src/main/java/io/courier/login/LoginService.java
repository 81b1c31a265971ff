package io.courier.login;

import io.courier.contract.CourierException;
import io.courier.contract.LoginRequest;
import io.courier.contract.RefreshRequest;
import io.courier.contract.SessionRef;
import io.courier.contract.TokenGrant;
import io.courier.presence.PresenceStore;
import io.courier.protocol.Code;
import io.vertx.core.Future;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Logs sessions in: token check, presence record, and the kick of the session a login replaces; and
 * checks the fresh token of a session's REFRESH.
 *
 * <p>The replaced session is found by the presence write itself (it returns the record it
 * replaced), so two concurrent logins of one pair cannot both survive: the later write kicks the
 * earlier one.
 */
public final class LoginService {
  private final TokenVerifier tokens;
  private final PresenceStore presence;
  private final Consumer<SessionRef> kickReplaced;
  private final LongSupplier clock;

  /**
   * @param kickReplaced called with the record of a session that a login replaced; it must tell
   *     that session's gate to send KICK 4001 and close
   */
  public LoginService(
      TokenVerifier tokens,
      PresenceStore presence,
      Consumer<SessionRef> kickReplaced,
      LongSupplier clock) {
    this.tokens = tokens;
    this.presence = presence;
    this.kickReplaced = kickReplaced;
    this.clock = clock;
  }

  /**
   * Succeeds, once the new presence record is written, with what the gate keeps of the token; fails
   * with a {@link CourierException}.
   */
  public Future<TokenGrant> login(LoginRequest request) {
    return tokens
        .verify(request.uid(), request.appcode(), request.token())
        .compose(
            grant -> {
              SessionRef session =
                  new SessionRef(
                      request.uid(),
                      request.appcode(),
                      request.node(),
                      request.session(),
                      clock.getAsLong());
              return presence
                  .put(session)
                  .recover(
                      e ->
                          Future.failedFuture(
                              new CourierException(Code.UNAVAILABLE, "presence store unavailable")))
                  .map(
                      replaced -> {
                        if (replaced != null && !replaced.session().equals(session.session())) {
                          kickReplaced.accept(replaced);
                        }
                        return grant;
                      });
            });
  }

  /**
   * Checks the token a logged-in session presents to go on past its current token's expiry: it must
   * prove the session's own identity (403 otherwise). Presence is left as it is: the session does
   * not change.
   */
  public Future<TokenGrant> refresh(RefreshRequest request) {
    return tokens.verifyRefresh(request.uid(), request.appcode(), request.token());
  }
}
