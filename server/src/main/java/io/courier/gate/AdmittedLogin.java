package io.courier.gate;

import io.courier.contract.LoginRequest;
import io.courier.contract.Reply;
import io.courier.contract.SessionRef;
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
 * frame rate, count towards a ban of the address, and such a kick cools the uid down. Everything
 * else passes through.
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
  public Future<Void> login(LoginRequest request) {
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
