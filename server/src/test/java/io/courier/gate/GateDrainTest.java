package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.client.ServerFrame;
import io.courier.protocol.Command;
import io.courier.testkit.ClientSide;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestSession;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A stopping node drains its gate: every client gets KICK 4002 before its connection closes. */
class GateDrainTest {
  @RegisterExtension final ClientSide side = new ClientSide();

  @Test
  void everyClientIsKickedWith4002SpreadOverTheDrainWindow() {
    TestNode node =
        TestNode.start(
            side.vertx(), new JsonObject().put("gate", new JsonObject().put("drainSeconds", 1)));
    List<TestSession> sessions = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sessions.add(TestSession.login(side.client(), node, side.tokens(), "drain-" + i, 101));
    }
    long stopBegan = System.nanoTime();
    Future<Void> stopped = node.stopAsync();
    List<Long> kickedAt = new ArrayList<>();
    for (TestSession session : sessions) {
      ServerFrame kick = session.nextFrame();
      kickedAt.add(System.nanoTime());
      assertEquals(Command.KICK, kick.command());
      assertEquals(4002, kick.body().getInteger("code"));
      session.connection().closed().await();
    }
    stopped.await();
    // each of the two gate instances spreads its two clients over the second: the later ones come
    // at 500 ms
    long last = kickedAt.stream().mapToLong(Long::longValue).max().orElseThrow();
    assertTrue(last - stopBegan >= TimeUnit.MILLISECONDS.toNanos(500), "the kicks were not spread");
  }
}
