package io.courier.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports that were free a moment ago, for servers started by tests.
 *
 * <p>They are taken below Linux's ephemeral range (32768–60999): a port the kernel hands out for an
 * outgoing connection or a "port 0" listener (the clustered event bus, a client socket) can then
 * never be the one a test is about to bind, which made a node of a multi-process test fail with
 * "address in use".
 *
 * <p>A port is handed out at most once per JVM: a test that takes several ports before starting the
 * servers that bind them (a cluster of processes takes 15) would otherwise get the same free port
 * twice now and then, and two of its servers would race for it.
 */
public final class FreePorts {
  private static final int FIRST = 20_000;
  private static final int LAST = 32_000;
  private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  public static int next() {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FIRST, LAST);
      if (GIVEN.contains(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress("0.0.0.0", port));
      } catch (IOException taken) {
        continue;
      }
      if (GIVEN.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port between " + FIRST + " and " + LAST);
  }
}
