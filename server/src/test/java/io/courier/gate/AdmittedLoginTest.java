package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.admin.BanTable;
import io.courier.admin.RevocationTable;
import io.courier.contract.LoginRequest;
import io.courier.contract.Reply;
import io.courier.contract.SessionRef;
import io.courier.contract.TokenGrant;
import io.courier.protocol.Code;
import io.courier.protocol.body.Ban;
import io.courier.protocol.body.BanTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The LOGIN of one connection as admission control and the operators' bans let it through. */
class AdmittedLoginTest {
  private static final long NOW_MS = 1_000_000;

  private final FakeLogic logic = new FakeLogic();
  private final BanTable table = new BanTable(new AtomicLong(NOW_MS)::get);
  private final AdmittedLogin login =
      new AdmittedLogin(
          logic,
          new Admission(
              new AdmissionLimits(100, 100, 1_000, 1_000, 5, 100, 60_000, 30_000), () -> NOW_MS),
          new OperatorBans(table, new RevocationTable(() -> NOW_MS), new LocalSessions("n1")),
          new GateMetrics(new SimpleMeterRegistry()),
          "10.0.0.1");

  @Test
  void aUidBannedWhileItsLoginIsDecidedIsRefused403AndItsPresenceRemoved() {
    Future<TokenGrant> answer =
        login.login(new LoginRequest("mallory", 101, "token", "n1", "n1.7"));
    table.put(new Ban(BanTarget.uid("mallory"), NOW_MS + 60_000, "abuse"));

    logic.acceptLogin();

    assertTrue(answer.failed(), "logged in despite the ban");
    assertEquals(Code.FORBIDDEN, Reply.codeOf(answer.cause()));
    assertEquals(List.of(new SessionRef("mallory", 101, "n1", "n1.7", 0)), logic.removedPresence);
  }

  @Test
  void aBanOfAnotherUidPlacedMeanwhileChangesNothing() {
    Future<TokenGrant> answer = login.login(new LoginRequest("alice", 101, "token", "n1", "n1.8"));
    table.put(new Ban(BanTarget.uid("mallory"), NOW_MS + 60_000, "abuse"));

    logic.acceptLogin();

    assertTrue(answer.succeeded(), () -> "refused: " + answer.cause());
    assertEquals(List.of(), logic.removedPresence);
  }
}
