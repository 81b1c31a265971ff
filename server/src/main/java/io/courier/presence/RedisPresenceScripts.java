package io.courier.presence;

/**
 * The Lua scripts through which {@link RedisPresenceStore} changes presence. Redis runs each script
 * atomically, so every read-compare-write below sees no other update half done. Keys are those of
 * {@link RedisPresenceStore}; a record's value is {@code <node>|<session>|<since>}, an index member
 * {@code <uid>|<appcode>}.
 *
 * <p>{@link #PUT} and {@link #REMOVE_NODE} compute keys from their arguments, so the scripts need a
 * single Redis (or a primary with replicas), not Redis Cluster.
 */
final class RedisPresenceScripts {
  private RedisPresenceScripts() {}

  /**
   * KEYS: user, new node index. ARGV: appcode, value, ttl, index member, old-node-index prefix.
   * Returns the old value.
   */
  static final String PUT =
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
   * KEYS: user key and node index of each removal, in pairs. ARGV: appcode, session and index
   * member of each removal, in threes. Removes each record only if it is still that session's, then
   * its members from the node indexes, one variadic SREM per index; returns 1 or 0 per removal.
   */
  static final String REMOVE_ALL =
      String.join(
          "\n",
          "local removed, gone = {}, {}",
          "for i = 1, #KEYS / 2 do",
          "  local user, index = KEYS[2 * i - 1], KEYS[2 * i]",
          "  local appcode, session, member = ARGV[3 * i - 2], ARGV[3 * i - 1], ARGV[3 * i]",
          "  local current = redis.call('HGET', user, appcode)",
          "  removed[i] = 0",
          "  if current and string.match(current, '^[^|]*|([^|]*)|') == session then",
          "    redis.call('HDEL', user, appcode)",
          "    gone[index] = gone[index] or {}",
          "    table.insert(gone[index], member)",
          "    removed[i] = 1",
          "  end",
          "end",
          "for index, members in pairs(gone) do redis.call('SREM', index, unpack(members)) end",
          "return removed");

  /**
   * KEYS: the node index, then the user key of each session. ARGV: ttl, then appcode, value and
   * index member of each session, in threes. Puts back each missing record (never over a newer
   * login's), extends each user key's TTL, adds the members with one variadic SADD and extends the
   * index's TTL.
   */
  static final String REFRESH =
      String.join(
          "\n",
          "local members = {}",
          "for i = 2, #KEYS do",
          "  local a = 3 * i - 4",
          "  redis.call('HSETNX', KEYS[i], ARGV[a], ARGV[a + 1])",
          "  redis.call('EXPIRE', KEYS[i], ARGV[1])",
          "  members[i - 1] = ARGV[a + 2]",
          "end",
          "redis.call('SADD', KEYS[1], unpack(members))",
          "redis.call('EXPIRE', KEYS[1], ARGV[1])");

  /**
   * KEYS: node index. ARGV: node, user-key prefix. Removes every record of the node; returns how
   * many.
   */
  static final String REMOVE_NODE =
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
}
