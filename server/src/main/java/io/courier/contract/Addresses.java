package io.courier.contract;

/**
 * Every event-bus address Courier uses, defined once. The business API ({@code courier.s2c}, {@code
 * courier.c2s.*}, {@code courier.presence}, {@code courier.receipts}) is documented in {@code
 * docs/event-bus.md}; the others are internal between Courier's own verticles.
 */
public final class Addresses {
  /** Business API, request: push to one user. See docs/event-bus.md. */
  public static final String S2C = "courier.s2c";

  /** Business API, request: push to several users. */
  public static final String S2C_MULTI = "courier.s2c.multi";

  /** Business API, request: the online sessions of a user. */
  public static final String PRESENCE = "courier.presence";

  /** Business API, request: create a group (docs/groups.md). */
  public static final String GROUP_CREATE = "courier.group.create";

  /** Business API, request: add and remove members of a group. */
  public static final String GROUP_MEMBERS = "courier.group.members";

  /** Business API, request: close a group. */
  public static final String GROUP_CLOSE = "courier.group.close";

  /** Business API, request: a group and its members. */
  public static final String GROUP_INFO = "courier.group.info";

  /** Business API, publish (platform to business): delivery receipts. */
  public static final String RECEIPTS = "courier.receipts";

  /**
   * Operator control, request: close a user's sessions, {@link
   * io.courier.protocol.body.KickRequest} → {@link io.courier.protocol.body.KickAnswer}. Not on the
   * TCP bridge (docs/event-bus.md, operator controls).
   */
  public static final String ADMIN_KICK = "courier.admin.kick";

  /**
   * Operator control, request: ban a uid or a source address for a period, {@link
   * io.courier.protocol.body.BanRequest} → {@link io.courier.protocol.body.BanAnswer}.
   */
  public static final String ADMIN_BAN = "courier.admin.ban";

  /**
   * Operator control, request: the bans in force, {@code {}} → {@link
   * io.courier.protocol.body.BansAnswer}.
   */
  public static final String ADMIN_BANS = "courier.admin.bans";

  /**
   * Operator control, request: lift a ban, {@link io.courier.protocol.body.BanTarget} → {@link
   * io.courier.protocol.body.UnbanAnswer}.
   */
  public static final String ADMIN_UNBAN = "courier.admin.unban";

  /**
   * Internal, publish: the cluster's bans changed, {@code {}}; every node reloads its copy from the
   * shared map {@link #BANS_MAP}.
   */
  public static final String BANS_CHANGED = "courier.internal.bans-changed";

  /**
   * The cluster-wide shared-data map of the operators' bans (a Hazelcast map when clustered, a
   * local one when not): the target's key ({@code uid:<uid>}, {@code ip:<block>}) → the ban's JSON,
   * with the ban's remaining time as the entry's TTL.
   */
  public static final String BANS_MAP = "courier.bans";

  /**
   * Business API, request: revoke a login token until its expiry, {@link
   * io.courier.protocol.body.Revocation} → {@link io.courier.protocol.body.RevokeAnswer}; the admin
   * listener's {@code POST /v1/revocations} too. See docs/event-bus.md.
   */
  public static final String TOKENS_REVOKE = "courier.tokens.revoke";

  /**
   * Operator control, request: the revoked tokens in force, {@code {}} → {@link
   * io.courier.protocol.body.RevocationsAnswer}.
   */
  public static final String ADMIN_REVOCATIONS = "courier.admin.revocations";

  /**
   * Internal, publish: the cluster's revoked tokens changed, {@code {}}; every node reloads its
   * copy from the shared map {@link #REVOCATIONS_MAP}.
   */
  public static final String REVOCATIONS_CHANGED = "courier.internal.revocations-changed";

  /**
   * The cluster-wide shared-data map of revoked tokens: {@code <appcode>:<jti>} → the revocation's
   * JSON, with the time left to the token's {@code exp} as the entry's TTL.
   */
  public static final String REVOCATIONS_MAP = "courier.revocations";

  /**
   * Internal, request: a gate's logged-in session asks the login role to check the token of a
   * REFRESH. See {@link RefreshRequest}.
   */
  public static final String REFRESH = "courier.internal.refresh";

  /** Business API, consumer side: prefix of the C2S addresses; see {@link #c2s(int, int)}. */
  public static final String C2S_PREFIX = "courier.c2s.";

  /**
   * Internal, request: a gate asks the login role to check a token and record presence. See {@link
   * LoginRequest}.
   */
  public static final String LOGIN = "courier.internal.login";

  /**
   * Internal, request: a session's C2C message, {@code {session, body}} → the 0x8011 response body.
   */
  public static final String C2C = "courier.internal.c2c";

  /**
   * Internal, request: a session's C2G message, {@code {session, body}} → the 0x8012 response body
   * (docs/groups.md).
   */
  public static final String C2G = "courier.internal.c2g";

  /**
   * Internal, request: a session's C2S message, {@code {session, body}} → the 0x8010 response body.
   */
  public static final String C2S = "courier.internal.c2s";

  /** Internal, request: PULL, {@code {session, body}} → the 0x8030 response body. */
  public static final String PULL = "courier.internal.pull";

  /** Internal, request: OFFLINE_ACK, {@code {session, body}} → the 0x8031 response body. */
  public static final String OFFLINE_ACK = "courier.internal.offline-ack";

  /** Internal, request: HISTORY, {@code {session, body}} → the 0x8032 response body. */
  public static final String HISTORY = "courier.internal.history";

  /** Internal, request: READ, {@code {session, body}} → the 0x8033 response body. */
  public static final String READ = "courier.internal.read";

  /** Internal, request: CONVERSATIONS, {@code {session, body}} → the 0x8034 response body. */
  public static final String CONVERSATIONS = "courier.internal.conversations";

  /**
   * Internal, send: a client acknowledged a qos-1 PUSH, {@code {to_uid, to_appcode, msgid, logid}}.
   */
  public static final String ACKED = "courier.internal.acked";

  /**
   * Internal, request: a session's device registration for offline push (PUSH_REGISTER, and the
   * gate's on behalf of LOGIN's {@code push} and LOGOUT's {@code unregister}), {@code {session,
   * body}} with the session's {@code device_id} in the body → the 0x8005 response body.
   */
  public static final String PUSH_REGISTER = "courier.internal.push-register";

  /**
   * Internal, send: a gate's qos-1 PUSH unacknowledged at its ack timeout, or whose connection
   * dropped, as a PUSH body; the push role may wake the receiver's app.
   */
  public static final String PUSH_UNACKED = "courier.internal.push-unacked";

  /**
   * Prefix of every internal address: only Courier nodes may send there ({@code
   * io.courier.cluster.InternalAddressGuard}).
   */
  public static final String INTERNAL_PREFIX = "courier.internal.";

  /** Prefix of the operator controls, which only Courier nodes may send to, like internal ones. */
  public static final String ADMIN_PREFIX = "courier.admin.";

  /**
   * Prefix of every reply address Vert.x 5 makes (a sequence number on one node, a UUID in a
   * cluster): a message to such an address is a reply.
   */
  public static final String REPLY_PREFIX = "__vertx.reply.";

  /** Internal prefix of the per-node gate address; see {@link #gate(String)}. */
  private static final String GATE_PREFIX = "courier.internal.gate.";

  /** Internal prefix of the per-node operations address; see {@link #ops(String)}. */
  private static final String OPS_PREFIX = "courier.internal.ops.";

  private Addresses() {}

  /**
   * Where a client's C2S message of {@code msgtype} from an app {@code appcode} is handed to a
   * business consumer.
   */
  public static String c2s(int appcode, int msgtype) {
    return C2S_PREFIX + appcode + "." + msgtype;
  }

  /**
   * The address where the gate of node {@code node} takes commands for its sessions (kick, push).
   */
  public static String gate(String node) {
    return GATE_PREFIX + node;
  }

  /**
   * The address where node {@code node} answers the operations queries of any node's HTTP interface
   * ({@code io.courier.ops.OpsQuery}): arrival counts and trace steps of that node.
   */
  public static String ops(String node) {
    return OPS_PREFIX + node;
  }
}
