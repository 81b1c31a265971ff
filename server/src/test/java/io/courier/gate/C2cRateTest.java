package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.Code;
import io.courier.protocol.Command;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The C2C rate of one sender, seen from its client: 2 messages per second in bursts of 3 here, the
 * frame budget far above it. One beyond is answered 429 at once and never reaches routing.
 */
class C2cRateTest {
  private static final ConnectionSettings SETTINGS =
      new ConnectionSettings(
          65_536, 4_096, 10_000, 30, 90_000, 10_000, 2, 1 << 20, 10_000, 1 << 20, 32, 1_000, 1_000,
          2, 3);

  private static final int LOGIN = Command.LOGIN.code();
  private static final int PING = Command.PING.code();
  private static final int C2C = Command.C2C.code();

  private final ManualLoop loop = new ManualLoop();
  private final FakeLogic logic = new FakeLogic();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final FakeSocket socket = new FakeSocket(loop);
  private final Connection connection =
      new Connection(
          new Gate(
              SETTINGS,
              new LocalSessions("node-1"),
              logic,
              new RecordedSteps(),
              new GateMetrics(registry),
              loop,
              new HashSet<>()),
          socket);

  @BeforeEach
  void login() {
    connection.start();
    socket.send(
        LOGIN, 1, new JsonObject().put("uid", "alice").put("appcode", 101).put("token", "t"));
    logic.acceptLogin();
    assertEquals(0, socket.next(Command.LOGIN.responseCode(), 1).getInteger("code"));
  }

  @Test
  void c2cBeyondTheBurstIs429AtOnceAndNeverReachesRouting() {
    for (int seq = 10; seq < 14; seq++) {
      socket.send(C2C, seq, c2cBody(seq));
    }

    assertRateLimited(socket.next(Command.C2C.responseCode(), 13));
    assertTrue(socket.nothingWritten());
    for (int seq = 10; seq < 13; seq++) {
      FakeLogic.Request request = logic.nextRequest();
      assertEquals(Command.C2C, request.command());
      assertEquals(Integer.toString(seq), request.body().getString("cmid"));
      request.answer().complete(new JsonObject().put("code", 0));
      assertEquals(0, socket.next(Command.C2C.responseCode(), seq).getInteger("code"));
    }
    assertEquals(0, logic.waitingRequests(), "the refused C2C was forwarded");
    assertEquals(1.0, limited("c2c_rate"));

    socket.send(PING, 20, new JsonObject());
    assertEquals(0, socket.next(Command.PING.responseCode(), 20).getInteger("code"));
    assertFalse(socket.closed());
  }

  @Test
  void theRateRefillsTheBucket() {
    for (int seq = 10; seq < 13; seq++) {
      socket.send(C2C, seq, c2cBody(seq));
      logic.nextRequest().answer().complete(new JsonObject().put("code", 0));
      socket.next(Command.C2C.responseCode(), seq);
    }

    loop.advance(499);
    socket.send(C2C, 13, c2cBody(13));
    assertRateLimited(socket.next(Command.C2C.responseCode(), 13));

    loop.advance(1);
    socket.send(C2C, 14, c2cBody(14));
    assertEquals("14", logic.nextRequest().body().getString("cmid"));
    socket.send(C2C, 15, c2cBody(15));
    assertRateLimited(socket.next(Command.C2C.responseCode(), 15));
  }

  private double limited(String limit) {
    return registry.get("courier.gate.limited").tag("limit", limit).counter().count();
  }

  private static void assertRateLimited(JsonObject body) {
    assertEquals(
        new JsonObject()
            .put("code", Code.RATE_LIMITED.value())
            .put("msg", SessionRequests.C2C_RATE_EXCEEDED),
        body);
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
