package io.courier.bridge;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;

/**
 * Vert.x's stock {@link TcpEventBusBridge} without a socket of its own: the guard hands it each
 * business connection in process, as a {@link BridgeLink}, and the bridge reads and writes frames
 * through it exactly as it would through a {@link NetSocket} (its permission lists, reply
 * bookkeeping, header mapping and err frames are its own, unchanged). What it still handles is what
 * the guard does not serve itself ({@link DirectSend}, {@link Registrations}): pings, the sends the
 * guard's pass does not turn into a request (presence and group requests, a push whose body comes
 * before its address, a send without a reply address), and the answers to the replies it delivered.
 *
 * <p>The bridge creates its server with {@code vertx.createNetServer} in its constructor. It is
 * given a view of the real Vert.x whose {@code eventBus()} is the real one with the bridge's
 * requests kept on this node ({@link NodeLocalBus}) and whose {@code createNetServer} returns a
 * server that never listens and only keeps the bridge's connect handler ({@link Stub}).
 *
 * @implNote Chosen over the former internal Unix domain socket between the guard and the bridge:
 *     that hop cost a socket write and a read in each direction, a heap-to-direct copy per write,
 *     and a second pass over the bridge's output to put the guard's err frames in their place. The
 *     bridge cannot be put on the public port itself: its parser buffers whatever length a client
 *     announces, and its bridge-event hook sees a frame only after that. Of Vert.x, the bridge
 *     (5.0.7) uses only {@code eventBus()} and {@code createNetServer(NetServerOptions)}; of the
 *     server {@code connectHandler}, {@code listen} and {@code close}; of a socket {@code handler},
 *     {@code exceptionHandler}, {@code endHandler}, {@code write} and {@code close}. Anything else
 *     fails loudly ({@link Stub#unsupported}); the bridge tests run every flow.
 */
final class InProcessBridge {
  private final TcpEventBusBridge bridge;
  private Handler<NetSocket> connectHandler;

  /** The business whose frames the bridge is handling now ({@link #handle}), else null. */
  private Business acting;

  private InProcessBridge(Vertx vertx, BridgeOptions options) {
    EventBus eventBus = NodeLocalBus.of(vertx.eventBus(), () -> acting);
    Vertx view =
        Stub.of(
            Vertx.class,
            (self, method, args) -> {
              switch (method.getName()) {
                case "eventBus":
                  return eventBus;
                case "createNetServer":
                  return server();
                default:
                  return Stub.unsupported(method);
              }
            });
    bridge = TcpEventBusBridge.create(view, options, null, null);
  }

  /** A bridge for {@code options}, ready to take connections. */
  static Future<InProcessBridge> start(Vertx vertx, BridgeOptions options) {
    InProcessBridge created = new InProcessBridge(vertx, options);
    return created.bridge.listen().map(created);
  }

  /**
   * A new bridge connection whose output goes to {@code output}; call on the connection's event
   * loop.
   */
  BridgeLink connect(BridgeLink.Output output) {
    BridgeLink link = new BridgeLink(output);
    connectHandler.handle(link.socket());
    return link;
  }

  /**
   * Hands the bridge complete frames of {@code link}'s connection, which act for {@code business}
   * (null for a ping before any credential): the bridge handles them before this returns, and the
   * consumers and requests it makes meanwhile are that business's ({@link NodeLocalBus}). Call on
   * the event loop of every connection: one bridge serves connections of one event loop only.
   */
  void handle(BridgeLink link, Buffer frames, Business business) {
    acting = business;
    try {
      link.toBridge(frames);
    } finally {
      acting = null;
    }
  }

  Future<Void> close() {
    return bridge.close();
  }

  private NetServer server() {
    return Stub.of(
        NetServer.class,
        (self, method, args) -> {
          switch (method.getName()) {
            case "connectHandler":
              if (args != null && args.length == 1) {
                @SuppressWarnings("unchecked")
                Handler<NetSocket> handler = (Handler<NetSocket>) args[0];
                connectHandler = handler;
                return self;
              }
              return connectHandler;
            case "listen":
              return Future.succeededFuture(self);
            case "close":
              return Future.succeededFuture();
            default:
              return Stub.unsupported(method);
          }
        });
  }
}
