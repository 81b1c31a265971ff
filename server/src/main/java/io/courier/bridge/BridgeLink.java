package io.courier.bridge;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One business connection as the stock bridge sees it: a {@link NetSocket} stand-in whose input is
 * the frames the guard passes ({@link #toBridge}) and whose output goes to the guard ({@link
 * Output}), frame by frame, in the order the bridge writes them. Everything runs on the business
 * connection's event loop.
 */
final class BridgeLink {

  /** Where the bridge's output goes. */
  interface Output {
    /** One complete frame written by the bridge, length prefix included. */
    void fromBridge(Buffer frame);

    /**
     * The bridge closes the connection (it does so only on a socket exception, which never comes
     * here).
     */
    void closeRequested();
  }

  private final NetSocket socket;
  private Handler<Buffer> parser;
  private Handler<Void> endHandler;

  BridgeLink(Output output) {
    this.socket =
        Stub.of(
            NetSocket.class,
            (self, method, args) -> {
              switch (method.getName()) {
                case "handler":
                  parser = handler(args);
                  return self;
                case "endHandler":
                  endHandler = handler(args);
                  return self;
                case "exceptionHandler":
                  return self;
                case "write":
                  if (args.length == 1 && args[0] instanceof Buffer) {
                    output.fromBridge((Buffer) args[0]);
                    return Future.succeededFuture();
                  }
                  return Stub.unsupported(method);
                case "close":
                  output.closeRequested();
                  return Future.succeededFuture();
                default:
                  return Stub.unsupported(method);
              }
            });
  }

  @SuppressWarnings("unchecked")
  private static <T> Handler<T> handler(Object[] args) {
    return (Handler<T>) args[0];
  }

  NetSocket socket() {
    return socket;
  }

  /**
   * Hands the bridge complete frames (length prefixes included); it handles them before this
   * returns.
   */
  void toBridge(Buffer frames) {
    parser.handle(frames);
  }

  /** The business connection has ended: the bridge unregisters the connection's consumers. */
  void end() {
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }
}
