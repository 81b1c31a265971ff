package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.protocol.Command;
import io.courier.protocol.FrameEncoder;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A PUSH frame is written to a real socket more than once when a qos-1 push is resent ({@link
 * PushChannel} keeps it): the frame {@link FrameEncoder#encodeFlat} makes must stay whole after the
 * socket has written it, and each write must send the same bytes.
 */
class PushFrameRewriteTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aFrameWrittenThreeTimesArrivesThreeTimesWhole() {
    Message message =
        new Message(42, Kind.C2C, "alice", 101, "bob", 101, 1, "hé \u2028 😀", 1L, "trace-1");
    Buffer frame = FrameEncoder.encodeFlat(Command.PUSH.code(), 7, message::writePushBody);
    Buffer expected = Buffer.buffer().appendBuffer(frame).appendBuffer(frame).appendBuffer(frame);
    Buffer received = Buffer.buffer();
    Promise<Buffer> all = Promise.promise();
    NetServer server =
        vertx
            .createNetServer()
            .connectHandler(
                socket ->
                    socket.handler(
                        bytes -> {
                          received.appendBuffer(bytes);
                          if (received.length() >= expected.length()) {
                            all.tryComplete(received);
                          }
                        }))
            .listen(0, "127.0.0.1")
            .await();

    NetSocket client = vertx.createNetClient().connect(server.actualPort(), "127.0.0.1").await();
    client.write(frame).await();
    client.write(frame).await();
    client.write(frame).await();

    assertEquals(expected, all.future().await());
  }
}
