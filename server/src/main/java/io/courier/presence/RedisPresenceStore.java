package io.courier.presence;

import io.courier.contract.SessionRef;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
 *     refreshes them, which is when their nodes are gone. Refreshing in batches (one pipelined
 *     EXPIRE per user every TTL/3) was chosen over one Redis write per heartbeat: heartbeats are
 *     far more frequent than needed to keep a record alive.
 */
public final class RedisPresenceStore implements PresenceStore {
  static final String USER_KEY = "courier:presence:";
  static final String NODE_KEY = "courier:node:";

  /**
   * KEYS: user, new node index. ARGV: appcode, value, ttl, index member, old-node-index prefix.
   * Returns the old value.
   */
  private static final String PUT =
      String.join(
          "\n",
          "local old = redis.call('HGET', KEYS[1], ARGV[1])",
          "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])",
          "redis.call('EXPIRE', KEYS[1], ARGV[3])",
          "redis.call('SADD', KEYS[2], ARGV[4])",
          "redis.call('EXPIRE', KEYS[2], ARGV[3])",
          "if old then",
          "  local oldNode = string.match(old, '^([^|]*)|')",
          "  if oldNode and ARGV[5] .. oldNode ~= KEYS[2] then redis.call('SREM', ARGV[5] .. oldNode, ARGV[4]) end",
          "end",
          "return old");

  /**
   * KEYS: user, node index. ARGV: appcode, session, index member. Removes only if the record is
   * that session's.
   */
  private static final String REMOVE =
      String.join(
          "\n",
          "local current = redis.call('HGET', KEYS[1], ARGV[1])",
          "if not current then return 0 end",
          "local session = string.match(current, '^[^|]*|([^|]*)|')",
          "if session ~= ARGV[2] then return 0 end",
          "redis.call('HDEL', KEYS[1], ARGV[1])",
          "redis.call('SREM', KEYS[2], ARGV[3])",
          "return 1");

  /**
   * KEYS: node index. ARGV: node, user-key prefix. Removes every record of the node; returns how
   * many.
   */
  private static final String REMOVE_NODE =
      String.join(
          "\n",
          "local removed = 0",
          "for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do",
          "  local uid, appcode = string.match(member, '^(.*)|([^|]*)$')",
          "  local current = redis.call('HGET', ARGV[2] .. uid, appcode)",
          "  if current and string.match(current, '^([^|]*)|') == ARGV[1] then",
          "    redis.call('HDEL', ARGV[2] .. uid, appcode)",
          "    removed = removed + 1",
          "  end",
          "end",
          "redis.call('DEL', KEYS[1])",
          "return removed");

  private final Redis redis;
  private final int ttlSeconds;

  public RedisPresenceStore(Redis redis, int ttlSeconds) {
    this.redis = redis;
    this.ttlSeconds = ttlSeconds;
  }

  @Override
  public Future<SessionRef> put(SessionRef session) {
    return redis
        .send(
            Request.cmd(Command.EVAL)
                .arg(PUT)
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

  @Override
  public Future<Boolean> remove(SessionRef session) {
    return redis
        .send(
            Request.cmd(Command.EVAL)
                .arg(REMOVE)
                .arg(2)
                .arg(USER_KEY + session.uid())
                .arg(NODE_KEY + session.node())
                .arg(session.appcode())
                .arg(session.session())
                .arg(memberOf(session)))
        .map(removed -> removed.toInteger() == 1);
  }

  @Override
  public Future<List<SessionRef>> sessions(String uid) {
    return redis
        .send(Request.cmd(Command.HGETALL).arg(USER_KEY + uid))
        .map(
            hash -> {
              List<SessionRef> result = new ArrayList<>();
              if (hash != null) {
                for (String appcode : hash.getKeys()) {
                  result.add(parse(uid, Integer.parseInt(appcode), hash.get(appcode).toString()));
                }
              }
              result.sort(Comparator.comparingInt(SessionRef::appcode));
              return result;
            });
  }

  @Override
  public Future<Integer> removeNode(String node) {
    return redis
        .send(
            Request.cmd(Command.EVAL)
                .arg(REMOVE_NODE)
                .arg(1)
                .arg(NODE_KEY + node)
                .arg(node)
                .arg(USER_KEY))
        .map(Response::toInteger);
  }

  /**
   * One pipelined batch: for each session, {@code HSETNX} of its record (re-created if Redis lost
   * it — a restart without persistence, an outage longer than the TTL, a detector that took a
   * stalled node for dead — but never over a newer login's record) and the TTLs of its user key and
   * of the node index.
   */
  @Override
  public Future<Void> refresh(String node, Collection<SessionRef> sessions) {
    List<Request> batch = new ArrayList<>(3 * sessions.size() + 1);
    Set<String> uids = new LinkedHashSet<>();
    for (SessionRef session : sessions) {
      batch.add(
          Request.cmd(Command.HSETNX)
              .arg(USER_KEY + session.uid())
              .arg(session.appcode())
              .arg(valueOf(session)));
      batch.add(Request.cmd(Command.SADD).arg(NODE_KEY + node).arg(memberOf(session)));
      uids.add(session.uid());
    }
    uids.forEach(uid -> batch.add(Request.cmd(Command.EXPIRE).arg(USER_KEY + uid).arg(ttlSeconds)));
    batch.add(Request.cmd(Command.EXPIRE).arg(NODE_KEY + node).arg(ttlSeconds));
    return redis.batch(batch).mapEmpty();
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
