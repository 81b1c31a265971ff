package io.courier.login;

import io.courier.config.CourierConfig;
import io.courier.contract.Addresses;
import io.courier.contract.CourierException;
import io.courier.contract.GateCommand;
import io.courier.contract.LoginRequest;
import io.courier.contract.SessionRef;
import io.courier.presence.PresenceStore;
import io.courier.protocol.Code;
import io.courier.protocol.body.Result;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** The login role: binds {@link Addresses#LOGIN} to a {@link LoginService}. */
public final class LoginVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(LoginVerticle.class);

  private final CourierConfig config;
  private final PresenceStore presence;

  public LoginVerticle(CourierConfig config, PresenceStore presence) {
    this.config = config;
    this.presence = presence;
  }

  @Override
  public Future<?> start() {
    LoginService service =
        new LoginService(
            new TokenVerifier(vertx, config.apps()),
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
                      .onComplete(
                          done -> {
                            if (done.succeeded()) {
                              message.reply(Result.ok().toJson());
                            } else {
                              Code code = CourierException.codeOf(done.cause());
                              // a bad token is any client's doing, and a flood of them must not
                              // flood the log: 401s are counted by the gate, logged at DEBUG
                              LOG.atLevel(code == Code.AUTH_FAILED ? Level.DEBUG : Level.INFO)
                                  .log(
                                      "login refused uid={} appcode={} code={}: {}",
                                      request.uid(),
                                      request.appcode(),
                                      code.value(),
                                      done.cause().getMessage());
                              message.fail(code.value(), done.cause().getMessage());
                            }
                          });
                });
    return login.completion();
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
