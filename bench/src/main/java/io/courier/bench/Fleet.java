package io.courier.bench;

import io.courier.client.ClientTls;
import io.courier.client.CourierClient;
import io.courier.client.CourierConnection;
import io.courier.client.ServerFrame;
import io.courier.tools.TokenSigner;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Logged-in Courier connections of one bench process, opened with the project's Java client: spread
 * over the event loops ({@link LoopContexts}) and over loopback source addresses ({@link
 * SourcePlan}), with at most {@code concurrency} logins in flight, and the login round trip of each
 * recorded.
 *
 * <p>Client sockets are bound without SO_REUSEADDR (Vert.x sets it by default): with it, Linux may
 * give two client sockets bound to the same source address the same port, and the second connect
 * fails.
 *
 * <p>It keeps one {@link CourierClient} per source address referenced for as long as the fleet
 * lives (an unreferenced client is closed by the garbage collector with all its connections) and
 * closes them all in {@link #close(Duration)}.
 */
final class Fleet {
  /** A logged-in user: connection {@code index} of the fleet, on {@code context}'s event loop. */
  record Member(int index, String uid, CourierConnection connection, Context context) {}

  /** Where the fleet connects: the TCP gate's port, or the WebSocket gate on an HTTP port. */
  record Transport(boolean webSocket, int port) {}

  private final Vertx vertx;
  private final LoopContexts loops;
  private final SourcePlan plan;
  private final String host;
  private final Transport transport;
  private final Duration requestTimeout;
  private final ClientTls tls;
  private final Map<String, CourierClient> clients = new HashMap<>();

  final Latency connectLatency = new Latency();
  final Latency loginLatency = new Latency();
  final Outcomes loginFailures = new Outcomes();

  /** A fleet of the TCP gate on {@code port}. */
  Fleet(
      Vertx vertx,
      LoopContexts loops,
      SourcePlan plan,
      String host,
      int port,
      Duration requestTimeout,
      ClientTls tls) {
    this(vertx, loops, plan, host, new Transport(false, port), requestTimeout, tls);
  }

  Fleet(
      Vertx vertx,
      LoopContexts loops,
      SourcePlan plan,
      String host,
      Transport transport,
      Duration requestTimeout,
      ClientTls tls) {
    this.vertx = vertx;
    this.loops = loops;
    this.plan = plan;
    this.host = host;
    this.transport = transport;
    this.requestTimeout = requestTimeout;
    this.tls = tls;
  }

  /**
   * Opens and logs in one connection per uid (in {@code uids} order; plan index = list index),
   * blocking the calling thread, which must not be an event loop. {@code handlerFactory} gives each
   * connection its handler of server frames (PUSH …) before it logs in. Returns the members that
   * logged in, with null for those that did not (counted in {@link #loginFailures}). Gives up after
   * {@code deadline}.
   */
  List<Member> open(
      List<String> uids,
      int appcode,
      TokenSigner signer,
      int concurrency,
      BiFunction<Integer, CourierConnection, Consumer<ServerFrame>> handlerFactory,
      Duration deadline)
      throws InterruptedException {
    if (uids.size() != plan.count()) {
      throw new IllegalArgumentException(uids.size() + " uids for a plan of " + plan.count());
    }
    List<String> tokens = new ArrayList<>(uids.size());
    for (String uid : uids) {
      tokens.add(signer.sign(uid, appcode));
    }
    for (SourcePlan.Slice slice : plan.slices()) {
      clients.computeIfAbsent(
          slice.address(),
          address ->
              new CourierClient(
                  vertx,
                  new NetClientOptions().setLocalAddress(address).setReuseAddress(false),
                  requestTimeout,
                  tls));
    }
    AtomicReferenceArray<Member> members = new AtomicReferenceArray<>(uids.size());
    Semaphore inFlight = new Semaphore(concurrency);
    long end = System.nanoTime() + deadline.toNanos();
    for (int i = 0; i < uids.size(); i++) {
      if (!inFlight.tryAcquire(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        loginFailures.count("not attempted (deadline)");
        continue;
      }
      int index = i;
      Context context = loops.get(i);
      CourierClient client = clients.get(plan.addressOf(i));
      String uid = uids.get(i);
      String token = tokens.get(i);
      context.runOnContext(
          v -> {
            long connectStart = System.nanoTime();
            (transport.webSocket()
                    ? client.connectWebSocket(transport.port(), host)
                    : client.connect(transport.port(), host))
                .compose(
                    connection -> {
                      connectLatency.recordSince(connectStart);
                      connection.serverFrameHandler(handlerFactory.apply(index, connection));
                      long loginStart = System.nanoTime();
                      return connection
                          .login(uid, appcode, token)
                          .map(
                              body -> {
                                loginLatency.recordSince(loginStart);
                                int code = Outcomes.codeOf(body);
                                if (code != 0) {
                                  connection.close();
                                  throw new LoginRefused(code);
                                }
                                return connection;
                              });
                    })
                .onSuccess(
                    connection -> members.set(index, new Member(index, uid, connection, context)))
                .onFailure(
                    e ->
                        loginFailures.count(
                            e instanceof LoginRefused
                                ? "login code " + ((LoginRefused) e).code
                                : "connect/login: " + Outcomes.kindOf(e)))
                .onComplete(done -> inFlight.release());
          });
    }
    if (!inFlight.tryAcquire(
        concurrency, Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      loginFailures.count("still logging in at the deadline");
    } else {
      inFlight.release(concurrency);
    }
    List<Member> result = new ArrayList<>(uids.size());
    for (int i = 0; i < uids.size(); i++) {
      result.add(members.get(i));
    }
    return result;
  }

  /** Closes every client and its connections; waits at most {@code timeout}. */
  void close(Duration timeout) {
    List<Future<Void>> closing = new ArrayList<>();
    clients.values().forEach(client -> closing.add(client.close()));
    Blocking.await(Future.join(closing), timeout);
  }

  private static final class LoginRefused extends RuntimeException {
    private final int code;

    LoginRefused(int code) {
      super("login refused with code " + code, null, false, false);
      this.code = code;
    }
  }
}
