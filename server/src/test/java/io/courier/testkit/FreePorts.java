package io.courier.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports that were free a moment ago, for servers started by tests.
 *
 * <p>They are taken below Linux's ephemeral range (32768–60999): a port the kernel hands out for an
 * outgoing connection or a "port 0" listener (the clustered event bus, a client socket) can then
 * never be the one a test is about to bind, which made a node of a multi-process test fail with
 * "address in use".
 */
public final class FreePorts {
  private static final int FIRST = 20_000;
  private static final int LAST = 32_000;

  private FreePorts() {}

  public static int next() {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FIRST, LAST);
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress("0.0.0.0", port));
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no free port between " + FIRST + " and " + LAST);
  }
}
