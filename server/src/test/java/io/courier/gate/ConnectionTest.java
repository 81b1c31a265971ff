package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.RefreshRequest;
import io.courier.contract.SessionRef;
import io.courier.contract.TokenGrant;
import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.protocol.Code;
import io.courier.protocol.Command;
import io.courier.protocol.FrameEncoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection's state machine against an in-memory socket, logic roles and clock: what the client
 * receives, and when, for login, pipelining, idleness, token expiry and REFRESH, kicks, C2C order
 * and back-pressure.
 */
class ConnectionTest {
  static final ConnectionSettings SETTINGS =
      new ConnectionSettings(
          65_536, 4_096, 10_000, 30, 90_000, 10_000, 2, 1 << 20, 10_000, 1 << 20, 32, 100, 1_000,
          100_000, 100_000);

  private static final int LOGIN = Command.LOGIN.code();
  private static final int PING = Command.PING.code();
  private static final int PULL = Command.PULL.code();
  private static final int C2C = Command.C2C.code();
  private static final int REFRESH = Command.REFRESH.code();

  private final ManualLoop loop = new ManualLoop();
  private final FakeLogic logic = new FakeLogic();
  private final LocalSessions sessions = new LocalSessions("node-1");
  private final FakeSocket socket = new FakeSocket(loop);
  private final Connection connection =
      new Connection(
          new Gate(
              SETTINGS,
              sessions,
              logic,
              new RecordedSteps(),
              new GateMetrics(new SimpleMeterRegistry()),
              loop,
              new HashSet<>()),
          socket);

  @BeforeEach
  void accept() {
    connection.start();
  }

  @Test
  void connectionWithoutLoginIsClosedWithoutAFrameAtTheLoginDeadline() {
    loop.advance(9_000);
    socket.send(PING, 1, new JsonObject());
    assertEquals(0, socket.next(Command.PING.responseCode(), 1).getInteger("code"));
    loop.advance(999);
    assertFalse(socket.closed(), "closed before the deadline");

    loop.advance(1);

    assertTrue(socket.closed(), "open after the deadline; PING must not extend it");
    assertFalse(socket.ended(), "a frame was written before the close");
    assertTrue(socket.nothingWritten());
    loop.settle();
    assertTrue(connection.closed().succeeded());
    assertTrue(sessions.find(connection.sessionId()).isEmpty());
  }

  @Test
  void loginStillUndecidedAtTheDeadlineIsClosed() {
    socket.send(LOGIN, 1, loginBody("alice"));
    loop.advance(10_000);
    assertTrue(socket.closed());

    logic.acceptLogin();
    loop.settle();

    assertTrue(socket.nothingWritten(), "a login decided after the close was answered");
  }

  @Test
  void successfulLoginEndsTheLoginDeadline() {
    login("alice");
    loop.advance(20_000);
    assertFalse(socket.closed());
  }

  @Test
  void loginResponseCarriesTheSessionTheHeartbeatAndTheServerTime() {
    loop.advance(1_500);
    socket.send(LOGIN, 7, loginBody("alice"));
    assertEquals("alice", logic.loginRequests.get(0).uid());
    assertEquals(connection.sessionId(), logic.loginRequests.get(0).session());
    logic.acceptLogin();

    assertEquals(
        new JsonObject()
            .put("code", 0)
            .put("session", connection.sessionId())
            .put("heartbeat", 30)
            .put("server_time", ManualLoop.EPOCH_MS + 1_500),
        socket.next(Command.LOGIN.responseCode(), 7));
  }

  @Test
  void framesPipelinedAfterLoginAreHeldAndAnsweredInOrderAfterIt() {
    socket.sendTogether(
        FrameEncoder.encode(LOGIN, 1, loginBody("alice")),
        FrameEncoder.encode(PING, 2, new JsonObject()),
        FrameEncoder.encode(PULL, 3, new JsonObject()),
        FrameEncoder.encode(PING, 4, null));
    assertTrue(socket.nothingWritten(), "answered before the login was decided");
    assertTrue(socket.paused(), "reading while the login is decided");
    assertEquals(0, logic.waitingRequests());

    logic.acceptLogin();

    assertEquals(0, socket.next(Command.LOGIN.responseCode(), 1).getInteger("code"));
    assertEquals(0, socket.next(Command.PING.responseCode(), 2).getInteger("code"));
    assertEquals(0, socket.next(Command.PING.responseCode(), 4).getInteger("code"));
    FakeLogic.Request pull = logic.nextRequest();
    assertEquals(Command.PULL, pull.command());
    assertEquals("alice", pull.session().uid());
    JsonObject page =
        new JsonObject().put("code", 0).put("msgs", new JsonArray()).put("more", false);
    pull.answer().complete(page);
    assertEquals(page, socket.next(Command.PULL.responseCode(), 3));
    assertFalse(socket.paused());
  }

  @Test
  void framesHeldDuringALoginThatFailsWith503AreAnsweredAsNotLoggedIn() {
    socket.sendTogether(
        FrameEncoder.encode(LOGIN, 1, loginBody("alice")),
        FrameEncoder.encode(PULL, 2, new JsonObject()));

    logic.refuseLogin(503, "service unavailable, retry later");

    assertEquals(503, socket.next(Command.LOGIN.responseCode(), 1).getInteger("code"));
    assertEquals(
        Code.NOT_LOGGED_IN.value(), socket.next(Command.ERROR.code(), 2).getInteger("code"));
    assertTrue(socket.ended());
  }

  @Test
  void loginRefusedWith401IsAnsweredThenClosedAndItsHeldFramesAreDropped() {
    socket.sendTogether(
        FrameEncoder.encode(LOGIN, 1, loginBody("alice")),
        FrameEncoder.encode(PING, 2, new JsonObject()));

    logic.refuseLogin(401, "authentication failed");

    assertEquals(
        new JsonObject().put("code", 401).put("msg", "authentication failed"),
        socket.next(Command.LOGIN.responseCode(), 1));
    assertTrue(socket.ended());
    assertTrue(socket.nothingWritten(), "a held frame was answered after the 401");
  }

  @Test
  void silentLoggedInConnectionIsKickedWith4003AfterTheIdleLimit() {
    login("alice");
    loop.advance(60_000);
    socket.send(PING, 2, new JsonObject());
    socket.next(Command.PING.responseCode(), 2);

    loop.advance(89_999);
    assertFalse(socket.closed(), "kicked before 90 s of silence");
    loop.advance(1);

    assertEquals(
        new JsonObject().put("code", 4003).put("msg", "idle timeout"),
        socket.next(Command.KICK.code(), 1));
    assertTrue(socket.ended());
    loop.settle();
    assertEquals(
        new SessionRef("alice", 101, "node-1", connection.sessionId(), ManualLoop.EPOCH_MS),
        logic.removedPresence.get(0));
  }

  @Test
  void replacedSessionIsKickedWith4001AfterItsLastPushAndLeavesTheNode() {
    login("alice");
    assertTrue(push(0, 41).succeeded());
    assertEquals(Command.PUSH.code(), socket.next().cmd());

    sessions.find(connection.sessionId()).orElseThrow().kick(Code.KICK_REPLACED);
    loop.settle();

    assertEquals(
        new JsonObject().put("code", 4001).put("msg", "replaced"),
        socket.next(Command.KICK.code(), 2));
    assertTrue(socket.ended());
    assertTrue(sessions.find(connection.sessionId()).isEmpty());
    assertTrue(sessions.loggedInSessions().isEmpty());
    assertEquals(connection.sessionId(), logic.removedPresence.get(0).session());
    assertFalse(push(0, 42).result(), "pushed to a kicked connection");
  }

  @Test
  void presenceIsRemovedOnlyAfterTheLoginReplyItMustNotOvertake() {
    socket.send(LOGIN, 1, loginBody("alice"));
    socket.close();
    loop.settle();
    assertTrue(logic.removedPresence.isEmpty(), "removed before the login was decided");

    logic.acceptLogin();

    assertEquals("alice", logic.removedPresence.get(0).uid());
  }

  @Test
  void c2cRequestsGoToRoutingOneAtATimeAndBeyond256WaitingAre429() {
    login("alice");
    for (int i = 0; i <= C2cQueue.MAX_WAITING; i++) {
      socket.send(C2C, 100 + i, c2cBody(i));
    }
    assertEquals(1, logic.waitingRequests(), "more than one C2C in flight");
    JsonObject refused = socket.next(Command.C2C.responseCode(), 100 + C2cQueue.MAX_WAITING);
    assertEquals(Code.RATE_LIMITED.value(), refused.getInteger("code"));
    assertTrue(socket.nothingWritten());

    for (int i = 0; i < 3; i++) {
      FakeLogic.Request request = logic.nextRequest();
      assertEquals(Integer.toString(i), request.body().getString("cmid"), "out of order");
      request.answer().complete(new JsonObject().put("code", 0).put("msgid", "9" + i));
      assertEquals("9" + i, socket.next(Command.C2C.responseCode(), 100 + i).getString("msgid"));
    }
    socket.send(C2C, 999, c2cBody(999));
    assertTrue(socket.nothingWritten(), "refused although answers made room");
    assertFalse(socket.closed());
  }

  @Test
  void answerThatArrivesAfterTheConnectionEndedIsNotWritten() {
    login("alice");
    socket.send(PULL, 2, new JsonObject());
    connection.kick(Code.KICK_REPLACED);
    loop.settle();
    socket.next(Command.KICK.code(), 1);

    logic.nextRequest().answer().complete(new JsonObject().put("code", 0));

    assertTrue(socket.nothingWritten(), "answered after the KICK");
  }

  @Test
  void clientBehindOnReadingIsNotReadFromAndGetsNoPushesUntilItCatchesUp() {
    login("alice");
    socket.stopReading();
    int written = 0;
    while (push(0, 100 + written).result()) {
      socket.next(Command.PUSH.code(), ++written);
      assertTrue(written < 100, "still pushing to a client with 4 KiB unread");
    }
    assertTrue(socket.paused(), "still reading from a client that does not read");
    assertFalse(push(1, 42).result(), "pushed to a full write queue");

    socket.catchUp();

    assertFalse(socket.paused());
    assertTrue(push(1, 42).result());
    assertEquals("42", socket.next(Command.PUSH.code(), written + 1).getString("msgid"));
  }

  @Test
  void pushAckFromTheClientEndsThePushAndABadAckIsAnswered400() {
    login("alice");
    push(1, 42);
    socket.next(Command.PUSH.code(), 1);

    socket.send(Command.PUSH.responseCode(), 1, new JsonObject().put("msgid", "42"));
    socket.send(Command.PUSH.responseCode(), 2, new JsonObject().put("msgid", 42));

    assertEquals(42, logic.acked.get(0).msgid());
    assertEquals(Code.BAD_REQUEST.value(), socket.next(Command.ERROR.code(), 2).getInteger("code"));
    loop.advance(60_000);
    assertTrue(socket.nothingWritten(), "an acknowledged push was resent");
    assertFalse(socket.closed());
  }

  @Test
  void aSessionIsKickedWith4004AtItsTokensExpiry() {
    long exp = ManualLoop.EPOCH_MS / 1000 + 60;
    socket.send(LOGIN, 1, loginBody("alice"));
    logic.acceptLogin(new TokenGrant(exp, "t-1"));
    socket.next(Command.LOGIN.responseCode(), 1);
    loop.advance(30_000);
    socket.send(PING, 2, new JsonObject());
    socket.next(Command.PING.responseCode(), 2);

    loop.advance(29_999);
    assertFalse(socket.closed(), "kicked before exp");
    loop.advance(1);

    assertEquals(
        new JsonObject().put("code", 4004).put("msg", "token expired or revoked"),
        socket.next(Command.KICK.code(), 1));
    assertTrue(socket.ended());
  }

  @Test
  void aRefreshBeforeTheExpiryCarriesTheSessionToTheNewTokensExpiry() {
    long exp = ManualLoop.EPOCH_MS / 1000 + 60;
    socket.send(LOGIN, 1, loginBody("alice"));
    logic.acceptLogin(new TokenGrant(exp, "t-1"));
    socket.next(Command.LOGIN.responseCode(), 1);
    loop.advance(50_000);

    socket.send(REFRESH, 2, new JsonObject().put("token", "fresh"));
    RefreshRequest asked = logic.refreshRequests.get(0);
    assertEquals(
        new RefreshRequest("alice", 101, "fresh", connection.sessionId()), asked, "asked as");
    logic.acceptRefresh(new TokenGrant(exp + 60, "t-2"));

    assertEquals(
        new JsonObject().put("code", 0).put("exp", exp + 60),
        socket.next(Command.REFRESH.responseCode(), 2));
    loop.advance(60_000);
    socket.send(PING, 3, new JsonObject());
    socket.next(Command.PING.responseCode(), 3);
    assertFalse(socket.closed(), "ended at the first token's exp");
    loop.advance(10_000);
    assertEquals(4004, socket.next(Command.KICK.code(), 1).getInteger("code"));
  }

  @Test
  void aRefreshRefusedWith403LeavesTheSessionAsItWasAnd401ClosesIt() {
    long exp = ManualLoop.EPOCH_MS / 1000 + 60;
    socket.send(LOGIN, 1, loginBody("alice"));
    logic.acceptLogin(new TokenGrant(exp, "t-1"));
    socket.next(Command.LOGIN.responseCode(), 1);

    socket.send(REFRESH, 2, new JsonObject());
    assertEquals(
        new JsonObject().put("code", 400).put("msg", "token is required"),
        socket.next(Command.REFRESH.responseCode(), 2));
    socket.send(REFRESH, 3, new JsonObject().put("token", "bob's"));
    socket.send(REFRESH, 4, new JsonObject().put("token", "another"));
    assertEquals(
        Code.RATE_LIMITED.value(),
        socket.next(Command.REFRESH.responseCode(), 4).getInteger("code"),
        "a second REFRESH while one is decided");
    logic.refuseRefresh(403, "token sub does not match uid");
    assertEquals(
        new JsonObject().put("code", 403).put("msg", "token sub does not match uid"),
        socket.next(Command.REFRESH.responseCode(), 3));
    loop.advance(59_999);
    assertFalse(socket.closed());

    socket.send(REFRESH, 5, new JsonObject().put("token", "forged"));
    logic.refuseRefresh(401, "invalid token");

    assertEquals(401, socket.next(Command.REFRESH.responseCode(), 5).getInteger("code"));
    assertTrue(socket.ended());
  }

  @Test
  void aRefreshBeforeLoginIs440() {
    socket.send(REFRESH, 1, new JsonObject().put("token", "t"));

    assertEquals(
        Code.NOT_LOGGED_IN.value(), socket.next(Command.ERROR.code(), 1).getInteger("code"));
    assertTrue(socket.ended());
  }

  private void login(String uid) {
    socket.send(LOGIN, 1, loginBody(uid));
    logic.acceptLogin();
    assertEquals(0, socket.next(Command.LOGIN.responseCode(), 1).getInteger("code"));
  }

  private Future<Boolean> push(int qos, long msgid) {
    Future<Boolean> written = connection.push(qos, message(msgid));
    loop.settle();
    return written;
  }

  static Message message(long msgid) {
    return new Message(
        msgid, Kind.S2C, "", 0, "alice", 101, 1, "hello", ManualLoop.EPOCH_MS, "logid-" + msgid);
  }

  private static JsonObject loginBody(String uid) {
    return new JsonObject().put("uid", uid).put("appcode", 101).put("token", "a-token");
  }

  private static JsonObject c2cBody(int cmid) {
    return new JsonObject()
        .put("to_uid", "bob")
        .put("to_appcode", 101)
        .put("cmid", Integer.toString(cmid))
        .put("msgtype", 1)
        .put("content", "hi");
  }
}
