package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.contract.GateCommand.PushItem;
import io.courier.protocol.Command;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pushes through this node's sessions: a push of one item (a single receiver's, which takes a path
 * of its own) is answered as the same push within a batch of several, and writes the same PUSH.
 */
class LocalSessionsTest {
  private final ManualLoop loop = new ManualLoop();
  private final FakeLogic logic = new FakeLogic();
  private final LocalSessions sessions = new LocalSessions("node-1");
  private final Map<String, FakeSocket> sockets = new HashMap<>();

  /** The receiving session's state when the push comes. */
  enum Receiver {
    TAKES_IT(true),
    WRITE_QUEUE_FULL(false),
    NOT_LOGGED_IN(false),
    GONE(false);

    final boolean written;

    Receiver(boolean written) {
      this.written = written;
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.class)
  void aLonePushIsAnsweredAndWrittenAsTheSamePushInABatch(Receiver state) {
    String alone = receiver(state);
    String batched = receiver(state);
    String other = receiver(Receiver.TAKES_IT);

    Future<List<Boolean>> one = sessions.push(List.of(item(alone, 7)));
    Future<List<Boolean>> several = sessions.push(List.of(item(batched, 7), item(other, 8)));
    loop.settle();

    assertEquals(List.of(state.written), one.result());
    assertEquals(List.of(state.written, true), several.result());
    List<FakeSocket.Sent> toAlone = written(alone);
    assertEquals(state.written ? 1 : 0, toAlone.size());
    assertEquals(written(batched), toAlone);
  }

  /** A session in {@code state}; its id. */
  private String receiver(Receiver state) {
    String uid = "u" + (sockets.size() + 1);
    if (state == Receiver.GONE) {
      return "node-1.gone-" + uid;
    }
    FakeSocket socket = new FakeSocket(loop);
    Connection connection =
        new Connection(
            new Gate(
                ConnectionTest.SETTINGS,
                sessions,
                logic,
                new RecordedSteps(),
                new GateMetrics(new SimpleMeterRegistry()),
                loop,
                new HashSet<>()),
            socket);
    connection.start();
    sockets.put(connection.sessionId(), socket);
    if (state == Receiver.NOT_LOGGED_IN) {
      return connection.sessionId();
    }
    socket.send(
        Command.LOGIN.code(),
        1,
        new JsonObject().put("uid", uid).put("appcode", 101).put("token", "a-token"));
    logic.acceptLogin();
    assertEquals(0, socket.next(Command.LOGIN.responseCode(), 1).getInteger("code"));
    if (state == Receiver.WRITE_QUEUE_FULL) {
      socket.stopReading();
      long msgid = 1_000;
      while (push(connection, msgid++)) {
        socket.next();
      }
    }
    return connection.sessionId();
  }

  private boolean push(Connection connection, long msgid) {
    Future<Boolean> written = connection.push(0, ConnectionTest.message(msgid));
    loop.settle();
    return written.result();
  }

  /** The frames {@code session}'s client got since the last look. */
  private List<FakeSocket.Sent> written(String session) {
    FakeSocket socket = sockets.get(session);
    List<FakeSocket.Sent> frames = new ArrayList<>();
    while (socket != null && !socket.nothingWritten()) {
      frames.add(socket.next());
    }
    return frames;
  }

  private static PushItem item(String session, long msgid) {
    return new PushItem(session, 0, ConnectionTest.message(msgid));
  }
}
