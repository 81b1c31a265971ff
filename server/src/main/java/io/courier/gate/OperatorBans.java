package io.courier.gate;

import io.courier.admin.BanTable;
import io.courier.admin.RevocationTable;
import io.courier.contract.SessionRef;
import io.courier.protocol.Code;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' bans and the revoked tokens as this node's gate applies them: a new connection
 * from a banned address is refused like an admission refusal (ERROR 429, then close), a LOGIN of a
 * banned uid gets 403, and when a ban is placed the open connections it covers get KICK 4006; when
 * a token is revoked, the sessions that use it get KICK 4004. One instance per node, shared by its
 * gate verticles; every check is a read of the node's {@link BanTable} or {@link RevocationTable}.
 *
 * @implNote It keeps each open connection's source address and each session's token ({@code
 *     appcode}, {@code jti}): presence knows a session's uid, but neither where it connected from
 *     nor its token, and {@link Connection} does not expose them.
 */
public final class OperatorBans {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorBans.class);

  private record Token(int appcode, String jti) {}

  private final BanTable table;
  private final RevocationTable revocations;
  private final LocalSessions sessions;
  private final Map<String, String> sources = new ConcurrentHashMap<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  public OperatorBans(BanTable table, RevocationTable revocations, LocalSessions sessions) {
    this.table = table;
    this.revocations = revocations;
    this.sessions = sessions;
  }

  /** Whether a new connection from the numeric address {@code host} is banned. */
  boolean addressBanned(String host) {
    return table.addressBan(host) != null;
  }

  /** Whether {@code uid} is banned. */
  boolean uidBanned(String uid) {
    return table.uidBan(uid) != null;
  }

  void opened(String session, String host) {
    sources.put(session, host);
  }

  void closed(String session) {
    sources.remove(session);
    tokens.remove(session);
  }

  /**
   * The login role accepted the token {@code jti} of {@code appcode} (null: one without {@code
   * jti}, which cannot be revoked) for {@code session}, which uses it from now on; false when this
   * node already knows it revoked, a revocation that reached it after the login role's copy. Runs
   * on the connection's event loop, as its close does.
   */
  boolean tokenAccepted(String session, int appcode, String jti) {
    if (jti == null || sessions.find(session).isEmpty()) {
      tokens.remove(session);
      return true;
    }
    tokens.put(session, new Token(appcode, jti));
    return !revocations.revoked(appcode, jti);
  }

  /** Sends KICK 4004 to this node's sessions whose token is revoked; how many. */
  public int kickRevoked() {
    int kicked = 0;
    for (Map.Entry<String, Token> entry : tokens.entrySet()) {
      Token token = entry.getValue();
      if (revocations.revoked(token.appcode(), token.jti())) {
        kicked += kick(entry.getKey(), Code.KICK_TOKEN_EXPIRED);
      }
    }
    if (kicked > 0) {
      LOG.info("{} sessions kicked: their token was revoked", kicked);
    }
    return kicked;
  }

  /** Sends KICK 4006 to this node's connections whose address or uid is banned; how many. */
  public int kickBanned() {
    Set<String> banned = new HashSet<>();
    sources.forEach(
        (session, host) -> {
          if (table.addressBan(host) != null) {
            banned.add(session);
          }
        });
    for (SessionRef session : sessions.loggedInSessions()) {
      if (table.uidBan(session.uid()) != null) {
        banned.add(session.session());
      }
    }
    int kicked = 0;
    for (String session : banned) {
      kicked += kick(session, Code.KICK_OPERATOR);
    }
    if (kicked > 0) {
      LOG.info("{} connections kicked by operator bans", kicked);
    }
    return kicked;
  }

  private int kick(String session, Code code) {
    return sessions
        .find(session)
        .map(
            connection -> {
              connection.kick(code);
              return 1;
            })
        .orElse(0);
  }
}
