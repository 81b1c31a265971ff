package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.courier.contract.LoginRequest;
import io.courier.contract.RefreshRequest;
import io.courier.contract.SessionRef;
import io.courier.contract.TokenGrant;
import io.courier.message.Message;
import io.courier.protocol.Command;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * The logic roles in memory: logins, refreshes and commands wait until the test answers them,
 * oldest first; acks and presence removals are recorded.
 */
final class FakeLogic implements LogicClient {

  /** A command handed over, waiting for its answer. */
  record Request(
      SessionRef session, Command command, JsonObject body, Promise<JsonObject> answer) {}

  /** What an accepted login or refresh grants unless the test says otherwise: no expiry. */
  static final TokenGrant NO_EXPIRY = new TokenGrant(0, null);

  private final Queue<Promise<TokenGrant>> logins = new ArrayDeque<>();
  private final Queue<Promise<TokenGrant>> refreshes = new ArrayDeque<>();
  final List<RefreshRequest> refreshRequests = new ArrayList<>();
  private final Queue<Request> requests = new ArrayDeque<>();
  final List<LoginRequest> loginRequests = new ArrayList<>();
  final List<Message> acked = new ArrayList<>();
  final List<Message> unacked = new ArrayList<>();
  final List<SessionRef> removedPresence = new ArrayList<>();

  @Override
  public Future<TokenGrant> login(LoginRequest request) {
    loginRequests.add(request);
    Promise<TokenGrant> reply = Promise.promise();
    logins.add(reply);
    return reply.future();
  }

  @Override
  public Future<TokenGrant> refresh(RefreshRequest request) {
    refreshRequests.add(request);
    Promise<TokenGrant> reply = Promise.promise();
    refreshes.add(reply);
    return reply.future();
  }

  @Override
  public Future<JsonObject> handle(SessionRef session, Command command, JsonObject body) {
    Request request = new Request(session, command, body, Promise.promise());
    requests.add(request);
    return request.answer().future();
  }

  @Override
  public void acked(Message message) {
    acked.add(message);
  }

  @Override
  public void unacked(Message message) {
    unacked.add(message);
  }

  @Override
  public Future<Boolean> removePresence(SessionRef session) {
    removedPresence.add(session);
    return Future.succeededFuture(true);
  }

  /** The login role accepts the oldest waiting login, with a token that never expires. */
  void acceptLogin() {
    acceptLogin(NO_EXPIRY);
  }

  /** The login role accepts the oldest waiting login with the token {@code grant}. */
  void acceptLogin(TokenGrant grant) {
    oldestLogin().complete(grant);
  }

  /** The login role accepts the oldest waiting refresh with the token {@code grant}. */
  void acceptRefresh(TokenGrant grant) {
    oldest(refreshes, "refresh").complete(grant);
  }

  /** The login role refuses the oldest waiting refresh with {@code code}. */
  void refuseRefresh(int code, String msg) {
    oldest(refreshes, "refresh")
        .fail(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, msg));
  }

  /** The login role refuses the oldest waiting login with {@code code}. */
  void refuseLogin(int code, String msg) {
    oldestLogin().fail(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, msg));
  }

  int waitingLogins() {
    return logins.size();
  }

  /** The oldest command not yet answered. */
  Request nextRequest() {
    Request request = requests.poll();
    assertNotNull(request, "no command handed to the logic roles");
    return request;
  }

  int waitingRequests() {
    return requests.size();
  }

  private Promise<TokenGrant> oldestLogin() {
    return oldest(logins, "login");
  }

  private static Promise<TokenGrant> oldest(Queue<Promise<TokenGrant>> waiting, String what) {
    Promise<TokenGrant> oldest = waiting.poll();
    assertNotNull(oldest, "no " + what + " waiting");
    return oldest;
  }
}
