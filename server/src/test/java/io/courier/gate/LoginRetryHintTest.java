package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.Code;
import io.courier.protocol.Command;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code retry_after} of a LOGIN refused with 503: present, within its bounds, and spread. */
class LoginRetryHintTest {
  private static final int LOGIN = Command.LOGIN.code();

  @Test
  void only503CarriesAHintAndItStaysWithinOneToFiveSeconds() {
    Random random = new Random(7);
    Set<Long> seconds = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      long retryAfter =
          LoginRetryHint.refusal(Code.UNAVAILABLE, null, random).toJson().getLong("retry_after");
      assertTrue(retryAfter >= 1_000 && retryAfter < 5_000, "retry_after " + retryAfter);
      seconds.add(retryAfter / 1_000);
    }
    assertEquals(Set.of(1L, 2L, 3L, 4L), seconds, "the hints cover the whole window");
    for (Code code : new Code[] {Code.BAD_REQUEST, Code.INTERNAL, Code.TIMEOUT}) {
      assertNull(LoginRetryHint.refusal(code, null, random).retryAfterMs(), code.name());
    }
  }

  @Test
  void aLoginRefusedWith503TellsTheClientWhenToRetryAndStaysOpen() {
    Fixture fixture = new Fixture();
    fixture.socket.send(LOGIN, 1, loginBody());
    fixture.logic.refuseLogin(503, "presence store unavailable");

    JsonObject refused = fixture.socket.next(Command.LOGIN.responseCode(), 1);
    assertEquals(503, refused.getInteger("code"));
    assertEquals("presence store unavailable", refused.getString("msg"));
    long retryAfter = refused.getLong("retry_after");
    assertTrue(retryAfter >= 1_000 && retryAfter < 5_000, refused.encode());
    assertFalse(fixture.socket.closed());

    fixture.socket.send(LOGIN, 2, loginBody());
    fixture.logic.acceptLogin();
    assertEquals(0, fixture.socket.next(Command.LOGIN.responseCode(), 2).getInteger("code"));
  }

  @Test
  void aLoginThatTimedOutCarriesNoHint() {
    Fixture fixture = new Fixture();
    fixture.socket.send(LOGIN, 1, loginBody());
    fixture.logic.refuseLogin(504, "timed out, retry later");

    assertEquals(
        new JsonObject().put("code", 504).put("msg", "timed out, retry later"),
        fixture.socket.next(Command.LOGIN.responseCode(), 1));
  }

  private static JsonObject loginBody() {
    return new JsonObject().put("uid", "alice").put("appcode", 101).put("token", "a-token");
  }

  private static final class Fixture {
    final ManualLoop loop = new ManualLoop();
    final FakeLogic logic = new FakeLogic();
    final FakeSocket socket = new FakeSocket(loop);

    Fixture() {
      new Connection(
              new Gate(
                  ConnectionTest.SETTINGS,
                  new LocalSessions("node-1"),
                  logic,
                  new RecordedSteps(),
                  new GateMetrics(new SimpleMeterRegistry()),
                  loop,
                  new HashSet<>()),
              socket)
          .start();
    }
  }
}
