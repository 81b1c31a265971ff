package io.courier.presence;

import io.courier.contract.SessionRef;
import io.vertx.core.Future;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Presence in Redis, as the original platform kept it ({@code (userid + appcode) → gate}).
 *
 * <p>Keys (defined here only):
 *
 * <ul>
 *   <li>{@code courier:presence:<uid>} — hash, field {@code <appcode>} → {@code
 *       <node>|<session>|<since>}: the live session of each appcode of the user; one HGETALL
 *       answers "where is this user".
 *   <li>{@code courier:node:<node>} — set of {@code <uid>|<appcode>}: the records that point at a
 *       node, so that a dead node's records are removed at once.
 * </ul>
 *
 * Both expire after the TTL unless refreshed; gates refresh them in batches.
 *
 * <p>Every update is one Lua script, so the read-compare-write is atomic in Redis: a late logout of
 * a replaced session compares its session id and leaves the newer record alone.
 *
 * @implNote A TTL per hash field would expire each session on its own, but HEXPIRE needs Redis 7.4;
 *     with a TTL on the user's hash, a user's sessions expire together when none of their gates
 *     refreshes them, which is when their nodes are gone. Refreshing in batches (every TTL/3) was
 *     chosen over one Redis write per heartbeat: heartbeats are far more frequent than needed to
 *     keep a record alive.
 *     <p>Bulk work — a refresh of all of a node's sessions, and the removals of a mass disconnect —
 *     goes to Redis as one Lua script per chunk of {@value #CHUNK} sessions, at most {@value
 *     #LANES} chunks of each kind awaiting their reply. A chunk script is one command, one round
 *     trip and one slot of the connection's waiting queue, runs atomically like every other update
 *     here, and holds Redis for a fraction of a millisecond. Rejected: one pipelined batch for all
 *     sessions — a batch must fit the waiting queue ({@value #MAX_WAITING_HANDLERS} replies), which
 *     about 700 sessions of three commands each overflowed (issue 12); pipelined chunks of variadic
 *     commands — one SADD and one EXPIRE of the index per chunk, but HSETNX and EXPIRE take one key
 *     each, so still two commands and two waiting slots per session, and the chunk size stays tied
 *     to that queue; one script for the whole node — Redis would serve nothing else while it ran.
 *     Single removals are coalesced ({@link Coalescer}): the gate removes one session per closed
 *     connection, and thousands closing together queue behind {@value #LANES} lanes and leave in
 *     chunks, instead of each taking a pooled connection and overflowing the pool's wait queue.
 *     <p>Lookups are coalesced too, into pipelined batches of {@code HGETALL}s ({@value
 *     #LOOKUP_CHUNK} at most, {@value #LOOKUP_LANES} awaiting their reply): routing looks up every
 *     receiver of every push, and one command per push cost a connection lease, a socket write and
 *     a read each. A batch is read-only, so pipelining it changes nothing of what each lookup sees;
 *     a lookup waits at most for the batches ahead of it, as it waited for a pooled connection
 *     before. Rejected: a local view of presence kept coherent by presence events — every login,
 *     kick, logout and node death would need an event to every routing node in order with the
 *     records, and a lost event would push to a dead session or drop a message for a live one.
 */
public final class RedisPresenceStore implements PresenceStore {
  static final String USER_KEY = "courier:presence:";
  static final String NODE_KEY = "courier:node:";

  /**
   * Sessions per chunk script (500): a chunk holds Redis for a fraction of a millisecond, and stays
   * far below the 8,000 values Lua's {@code unpack} can pass to one SADD or SREM.
   */
  static final int CHUNK = 500;

  /** Chunk scripts of one kind (refresh, removal) awaiting their reply at a time (2). */
  static final int LANES = 2;

  /**
   * Longest wait for a chunk script's reply (10 s), so that a reply lost with a silent connection
   * gives its lane back instead of blocking every later refresh or removal.
   */
  static final long CHUNK_TIMEOUT_MS = 10_000;

  /**
   * Removals waiting for a lane before new ones fail at once (65,536): more than one node's
   * connections (a process holds at most 20,000 sockets here), so only a Redis that stopped
   * answering fills it. Hard-coded rather than configured while the configuration is reworked.
   */
  static final int MAX_QUEUED_REMOVALS = 65_536;

  /**
   * Pooled connections to Redis (16). The client lends a connection to one command at a time, so
   * this bounds the commands in flight: the chunk scripts take at most {@value #LANES} for refresh
   * and {@value #LANES} for removals, and logins and lookups share the rest.
   */
  static final int POOL_SIZE = 16;

  /**
   * Commands waiting for a pooled connection before new ones fail at once with 503 (2,048): no
   * unbounded queue. Only logins and lookups ever wait here in numbers; bulk work waits in the
   * store's lanes.
   */
  static final int POOL_WAITING = 2048;

  /**
   * Replies one connection may await (2,048). The store sends one command per lent connection and
   * no pipelined batch, so this bounds only callers that pipeline on a connection of their own.
   */
  static final int MAX_WAITING_HANDLERS = 2048;

  static final int CONNECT_TIMEOUT_MS = 2_000;

  /**
   * Presence lookups per pipelined batch (256): far below the {@value #MAX_WAITING_HANDLERS}
   * replies a connection may await.
   */
  static final int LOOKUP_CHUNK = 256;

  /**
   * Lookup batches awaiting their reply at a time (4): with the chunk scripts' lanes, 8 of the
   * {@value #POOL_SIZE} pooled connections at most, the rest left to logins.
   */
  static final int LOOKUP_LANES = 4;

  /**
   * Lookups waiting for a lane before new ones fail at once (8,192), as the pool's waiting queue
   * did for lone lookups: only a Redis that stopped answering fills it.
   */
  static final int MAX_QUEUED_LOOKUPS = 8_192;

  private final Redis redis;
  private final int ttlSeconds;
  private final Coalescer<SessionRef, Boolean> removals;
  private final Coalescer<String, List<SessionRef>> lookups;

  /** Refreshes under way, and the sessions whose removal was asked for meanwhile. */
  private final AtomicInteger refreshing = new AtomicInteger();

  private final Set<String> closedWhileRefreshing = ConcurrentHashMap.newKeySet();

  /** {@code redis} should be made with {@link #clientOptions(String)}. */
  public RedisPresenceStore(Redis redis, int ttlSeconds) {
    this.redis = redis;
    this.ttlSeconds = ttlSeconds;
    this.removals = new Coalescer<>(CHUNK, LANES, MAX_QUEUED_REMOVALS, this::removeAll);
    this.lookups = new Coalescer<>(LOOKUP_CHUNK, LOOKUP_LANES, MAX_QUEUED_LOOKUPS, this::lookupAll);
  }

  /** The options of the client this store is sized for, connecting to {@code redisUrl}. */
  public static RedisOptions clientOptions(String redisUrl) {
    return new RedisOptions()
        .setConnectionString(redisUrl)
        .setMaxPoolSize(POOL_SIZE)
        .setMaxPoolWaiting(POOL_WAITING)
        .setMaxWaitingHandlers(MAX_WAITING_HANDLERS)
        .setNetClientOptions(
            new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS).setTcpNoDelay(true));
  }

  @Override
  public Future<SessionRef> put(SessionRef session) {
    return redis
        .send(
            Request.cmd(Command.EVAL)
                .arg(RedisPresenceScripts.PUT)
                .arg(2)
                .arg(USER_KEY + session.uid())
                .arg(NODE_KEY + session.node())
                .arg(session.appcode())
                .arg(valueOf(session))
                .arg(ttlSeconds)
                .arg(memberOf(session))
                .arg(NODE_KEY))
        .map(old -> old == null ? null : parse(session.uid(), session.appcode(), old.toString()));
  }

  /** Coalesced with the removals submitted meanwhile into one script per chunk. */
  @Override
  public Future<Boolean> remove(SessionRef session) {
    if (refreshing.get() > 0) {
      closedWhileRefreshing.add(session.session());
    }
    return removals.submit(session);
  }

  private Future<List<Boolean>> removeAll(List<SessionRef> sessions) {
    Request script =
        Request.cmd(Command.EVAL).arg(RedisPresenceScripts.REMOVE_ALL).arg(2 * sessions.size());
    for (SessionRef session : sessions) {
      script.arg(USER_KEY + session.uid()).arg(NODE_KEY + session.node());
    }
    for (SessionRef session : sessions) {
      script.arg(session.appcode()).arg(session.session()).arg(memberOf(session));
    }
    return chunk(script)
        .map(
            reply -> {
              List<Boolean> removed = new ArrayList<>(reply.size());
              reply.forEach(one -> removed.add(one.toInteger() == 1));
              return removed;
            });
  }

  /** Coalesced with the lookups submitted meanwhile into one pipelined batch per chunk. */
  @Override
  public Future<List<SessionRef>> sessions(String uid) {
    return lookups.submit(uid);
  }

  /**
   * One {@code HGETALL} per user, pipelined on one connection: each is as atomic as a lone one, and
   * the batch costs one connection lease and one write instead of one per user.
   */
  private Future<List<List<SessionRef>>> lookupAll(List<String> uids) {
    List<Request> requests = new ArrayList<>(uids.size());
    for (String uid : uids) {
      requests.add(Request.cmd(Command.HGETALL).arg(USER_KEY + uid));
    }
    Future<List<Response>> replies =
        uids.size() == 1 ? redis.send(requests.get(0)).map(List::of) : redis.batch(requests);
    return replies
        .timeout(CHUNK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(
            hashes -> {
              List<List<SessionRef>> result = new ArrayList<>(uids.size());
              for (int i = 0; i < uids.size(); i++) {
                result.add(sessionsOf(uids.get(i), hashes.get(i)));
              }
              return result;
            });
  }

  private static List<SessionRef> sessionsOf(String uid, Response hash) {
    List<SessionRef> result = new ArrayList<>();
    if (hash != null) {
      for (String appcode : hash.getKeys()) {
        result.add(parse(uid, Integer.parseInt(appcode), hash.get(appcode).toString()));
      }
    }
    result.sort(Comparator.comparingInt(SessionRef::appcode));
    return result;
  }

  @Override
  public Future<Integer> removeNode(String node) {
    return redis
        .send(
            Request.cmd(Command.EVAL)
                .arg(RedisPresenceScripts.REMOVE_NODE)
                .arg(1)
                .arg(NODE_KEY + node)
                .arg(node)
                .arg(USER_KEY))
        .map(Response::toInteger);
  }

  /**
   * For each session, in chunk scripts: {@code HSETNX} of its record (re-created if Redis lost it —
   * a restart without persistence, an outage longer than the TTL, a detector that took a stalled
   * node for dead — but never over a newer login's record), the TTL of its user key, and its member
   * and the TTL of the node index. The first failed chunk fails the refresh and no further chunk is
   * sent: with Redis down or silent, the next refresh comes sooner than a lane would get through
   * every chunk's timeout, and each record outlives two failed refreshes.
   *
   * <p>Each chunk is made when a lane takes it, without the sessions whose removal was asked for
   * since the refresh began: the caller's list is a snapshot, and re-creating the record of a
   * session that closed meanwhile would leave it online for a whole TTL.
   */
  @Override
  public Future<Void> refresh(String node, Collection<SessionRef> sessions) {
    refreshing.incrementAndGet();
    List<List<SessionRef>> chunks = new ArrayList<>((sessions.size() + CHUNK - 1) / CHUNK);
    List<SessionRef> all = List.copyOf(sessions);
    for (int from = 0; from < all.size(); from += CHUNK) {
      chunks.add(all.subList(from, Math.min(from + CHUNK, all.size())));
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    List<Future<Void>> lanes = new ArrayList<>(LANES);
    for (int lane = 0; lane < Math.min(LANES, chunks.size()); lane++) {
      lanes.add(refreshInLane(node, chunks, next, firstFailure));
    }
    return Future.all(lanes)
        .eventually(
            () -> {
              if (refreshing.decrementAndGet() == 0) {
                closedWhileRefreshing.clear();
              }
              return Future.succeededFuture();
            })
        .compose(
            done ->
                firstFailure.get() == null
                    ? Future.succeededFuture()
                    : Future.failedFuture(firstFailure.get()));
  }

  /** Refreshes the chunks not yet taken by another lane, one at a time, until one fails. */
  private Future<Void> refreshInLane(
      String node,
      List<List<SessionRef>> chunks,
      AtomicInteger next,
      AtomicReference<Throwable> firstFailure) {
    int index = next.getAndIncrement();
    if (index >= chunks.size() || firstFailure.get() != null) {
      return Future.succeededFuture();
    }
    List<SessionRef> live = new ArrayList<>(chunks.get(index));
    live.removeIf(session -> closedWhileRefreshing.contains(session.session()));
    Future<?> sent = live.isEmpty() ? Future.succeededFuture() : chunk(refreshScript(node, live));
    return sent.transform(
        done -> {
          if (done.failed()) {
            firstFailure.compareAndSet(null, done.cause());
          }
          return refreshInLane(node, chunks, next, firstFailure);
        });
  }

  private Request refreshScript(String node, List<SessionRef> sessions) {
    Request script =
        Request.cmd(Command.EVAL)
            .arg(RedisPresenceScripts.REFRESH)
            .arg(1 + sessions.size())
            .arg(NODE_KEY + node);
    sessions.forEach(session -> script.arg(USER_KEY + session.uid()));
    script.arg(ttlSeconds);
    sessions.forEach(
        session -> script.arg(session.appcode()).arg(valueOf(session)).arg(memberOf(session)));
    return script;
  }

  private Future<Response> chunk(Request script) {
    return redis.send(script).timeout(CHUNK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  private static String valueOf(SessionRef session) {
    return session.node() + "|" + session.session() + "|" + session.since();
  }

  private static String memberOf(SessionRef session) {
    return session.uid() + "|" + session.appcode();
  }

  private static SessionRef parse(String uid, int appcode, String value) {
    String[] parts = value.split("\\|", 3);
    return new SessionRef(uid, appcode, parts[0], parts[1], Long.parseLong(parts[2]));
  }
}
