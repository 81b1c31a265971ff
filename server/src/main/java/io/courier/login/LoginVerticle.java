package io.courier.login;

import io.courier.admin.RevocationTable;
import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.courier.contract.CourierException;
import io.courier.contract.GateCommand;
import io.courier.contract.LoginRequest;
import io.courier.contract.RefreshRequest;
import io.courier.contract.SessionRef;
import io.courier.contract.TokenGrant;
import io.courier.presence.PresenceStore;
import io.courier.protocol.Code;
import io.courier.routing.Terminals;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The login role: binds {@link Addresses#LOGIN} and {@link Addresses#REFRESH} to a {@link
 * LoginService}. A login is answered once its terminal is recorded ({@link Terminals}): a message
 * accepted after the answer reaches it. A store that cannot record it does not fail the login,
 * which needs presence only: the terminal misses the copies of messages until a later login records
 * it.
 */
public final class LoginVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(LoginVerticle.class);

  private final CourierConfig config;
  private final PresenceStore presence;
  private final RevocationTable revocations;
  private final Terminals terminals;

  /**
   * @param revocations this node's copy of the revoked tokens
   * @param terminals where a login's terminal is recorded
   */
  public LoginVerticle(
      CourierConfig config,
      PresenceStore presence,
      RevocationTable revocations,
      Terminals terminals) {
    this.config = config;
    this.presence = presence;
    this.revocations = revocations;
    this.terminals = terminals;
  }

  @Override
  public Future<?> start() {
    TokenRules rules = new TokenRules(config.tokenIssuers(), config.tokenAudiences(), revocations);
    LoginService service =
        new LoginService(
            new TokenVerifier(vertx, config.apps(), rules),
            presence,
            this::kick,
            System::currentTimeMillis);
    MessageConsumer<JsonObject> login =
        vertx
            .eventBus()
            .consumer(
                Addresses.LOGIN,
                message -> {
                  LoginRequest request = LoginRequest.fromJson(message.body());
                  service
                      .login(request)
                      .compose(
                          grant ->
                              terminals
                                  .record(
                                      request.uid(), request.appcode(), System.currentTimeMillis())
                                  .otherwise(
                                      e -> {
                                        // presence alone makes a login, as before terminals: the
                                        // terminal is recorded at its next login
                                        LOG.warn(
                                            "terminal {}/{} not recorded: {}",
                                            request.uid(),
                                            request.appcode(),
                                            e.toString());
                                        return null;
                                      })
                                  .map(grant))
                      .onComplete(
                          done -> answer(message, "login", request.uid(), request.appcode(), done));
                });
    MessageConsumer<JsonObject> refresh =
        vertx
            .eventBus()
            .consumer(
                Addresses.REFRESH,
                message -> {
                  RefreshRequest request = RefreshRequest.fromJson(message.body());
                  service
                      .refresh(request)
                      .onComplete(
                          done ->
                              answer(message, "refresh", request.uid(), request.appcode(), done));
                });
    return Future.all(login.completion(), refresh.completion());
  }

  private static void answer(
      Message<JsonObject> message,
      String what,
      String uid,
      int appcode,
      AsyncResult<TokenGrant> done) {
    if (done.succeeded()) {
      message.reply(done.result().toJson());
      return;
    }
    Code code = CourierException.codeOf(done.cause());
    // a bad token is any client's doing, and a flood of them must not flood the log: 401s are
    // counted by the gate, logged at DEBUG
    LOG.atLevel(code == Code.AUTH_FAILED ? Level.DEBUG : Level.INFO)
        .log(
            "{} refused uid={} appcode={} code={}: {}",
            what,
            uid,
            appcode,
            code.value(),
            done.cause().getMessage());
    message.fail(code.value(), done.cause().getMessage());
  }

  private void kick(SessionRef replaced) {
    LOG.info(
        "kicking replaced session {} of uid={} appcode={} on node {}",
        replaced.session(),
        replaced.uid(),
        replaced.appcode(),
        replaced.node());
    vertx
        .eventBus()
        .send(
            Addresses.gate(replaced.node()),
            GateCommand.kick(replaced.session(), Code.KICK_REPLACED));
  }
}
