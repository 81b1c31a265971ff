package io.courier.gate;

import io.courier.contract.LoginRequest;
import io.courier.contract.RefreshRequest;
import io.courier.contract.Reply;
import io.courier.contract.SessionRef;
import io.courier.contract.TokenGrant;
import io.courier.gate.Admission.Verdict;
import io.courier.message.Message;
import io.courier.protocol.Code;
import io.courier.protocol.Command;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logic roles as one connection from {@code address} sees them: a LOGIN that admission control
 * refuses fails at once with 429, and one of a uid an operator banned with 403, as if the login
 * role had refused it, and never reaches that role; a 401 from the login role, and a kick for the
 * frame rate, count towards a ban of the address, and such a kick cools the uid down. The token of
 * each LOGIN or REFRESH the login role accepts is recorded with {@link OperatorBans}, so that its
 * revocation finds the session; one this node already knows revoked is refused with 401 after all.
 * Everything else passes through.
 *
 * @implNote A wrapper of the connection's {@link LogicClient} rather than a check in the
 *     connection, so that the connection's state machine treats an admission refusal exactly as a
 *     refusal of the login role (a 429 response, the connection stays open, not logged in).
 */
final class AdmittedLogin implements LogicClient {
  private static final Logger LOG = LoggerFactory.getLogger(AdmittedLogin.class);

  private final LogicClient logic;
  private final Admission admission;
  private final GateMetrics metrics;
  private final OperatorBans bans;
  private final String address;

  AdmittedLogin(
      LogicClient logic,
      Admission admission,
      OperatorBans bans,
      GateMetrics metrics,
      String address) {
    this.logic = logic;
    this.admission = admission;
    this.bans = bans;
    this.metrics = metrics;
    this.address = address;
  }

  @Override
  public Future<TokenGrant> login(LoginRequest request) {
    Verdict verdict =
        bans.uidBanned(request.uid())
            ? Verdict.OPERATOR_BAN_UID
            : admission.login(address, request.uid());
    if (verdict != Verdict.ADMITTED) {
      metrics.loginRefused(verdict);
      LOG.debug("LOGIN uid={} from {} refused: {}", request.uid(), address, verdict.reason());
      return Future.failedFuture(
          new ReplyException(
              ReplyFailure.RECIPIENT_FAILURE, verdict.code().value(), verdict.msg()));
    }
    return logic
        .login(request)
        .compose(grant -> accepted(request.session(), request.appcode(), grant))
        .compose(grant -> refuseIfBannedMeanwhile(request).map(grant))
        .onFailure(
            failure -> {
              if (Reply.codeOf(failure) == Code.AUTH_FAILED && admission.loginFailed(address)) {
                metrics.banned();
                LOG.info(
                    "source {} banned for {} s after {} failed logins",
                    address,
                    admission.limits().banMs() / 1000,
                    admission.limits().failuresBeforeBan());
              }
            });
  }

  /**
   * A ban of the uid placed while its LOGIN was at the login role found no session of it to kick
   * (the session is not logged in until this answer), so it is checked again here: the login is
   * undone, its presence removed, and refused with 403 as if it had come after the ban.
   */
  private Future<Void> refuseIfBannedMeanwhile(LoginRequest request) {
    if (!bans.uidBanned(request.uid())) {
      return Future.succeededFuture();
    }
    metrics.loginRefused(Verdict.OPERATOR_BAN_UID);
    LOG.debug("LOGIN uid={} from {} refused: banned while it was decided", request.uid(), address);
    SessionRef undone =
        new SessionRef(request.uid(), request.appcode(), request.node(), request.session(), 0);
    return logic
        .removePresence(undone)
        .transform(
            removed ->
                Future.failedFuture(
                    new ReplyException(
                        ReplyFailure.RECIPIENT_FAILURE,
                        Verdict.OPERATOR_BAN_UID.code().value(),
                        Verdict.OPERATOR_BAN_UID.msg())));
  }

  /**
   * Cools the uid down and counts the kick towards a ban of the address ({@link
   * Admission#flooded}).
   */
  @Override
  public void kickedForFrameRate(SessionRef session) {
    boolean banned =
        session == null
            ? admission.loginFailed(address)
            : admission.flooded(address, session.uid());
    if (banned) {
      metrics.banned();
      LOG.info(
          "source {} banned for {} s after {} frame-rate kicks and failed logins",
          address,
          admission.limits().banMs() / 1000,
          admission.limits().failuresBeforeBan());
    }
  }

  @Override
  public Future<TokenGrant> refresh(RefreshRequest request) {
    return logic
        .refresh(request)
        .compose(grant -> accepted(request.session(), request.appcode(), grant));
  }

  /** {@code grant}, unless its token is revoked on this node: then a 401 of the login role. */
  private Future<TokenGrant> accepted(String session, int appcode, TokenGrant grant) {
    if (bans.tokenAccepted(session, appcode, grant.jti())) {
      return Future.succeededFuture(grant);
    }
    return Future.failedFuture(
        new ReplyException(
            ReplyFailure.RECIPIENT_FAILURE, Code.AUTH_FAILED.value(), "token revoked"));
  }

  @Override
  public Future<JsonObject> handle(SessionRef session, Command command, JsonObject body) {
    return logic.handle(session, command, body);
  }

  @Override
  public void acked(Message message) {
    logic.acked(message);
  }

  @Override
  public void unacked(Message message) {
    logic.unacked(message);
  }

  @Override
  public Future<Boolean> removePresence(SessionRef session) {
    return logic.removePresence(session);
  }
}
