package io.courier.gate;

import io.courier.admin.BanTable;
import io.courier.contract.SessionRef;
import io.courier.protocol.Code;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' bans as this node's gate applies them: a new connection from a banned address is
 * refused like an admission refusal (ERROR 429, then close), a LOGIN of a banned uid gets 403, and
 * when a ban is placed the open connections it covers get KICK 4006. One instance per node, shared
 * by its gate verticles; every check is a read of the node's {@link BanTable}.
 *
 * @implNote It keeps each open connection's source address: presence knows a session's uid but not
 *     where it connected from, and {@link Connection} does not expose it.
 */
public final class OperatorBans {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorBans.class);

  private final BanTable table;
  private final LocalSessions sessions;
  private final Map<String, String> sources = new ConcurrentHashMap<>();

  public OperatorBans(BanTable table, LocalSessions sessions) {
    this.table = table;
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
      kicked += kick(session);
    }
    if (kicked > 0) {
      LOG.info("{} connections kicked by operator bans", kicked);
    }
    return kicked;
  }

  private int kick(String session) {
    return sessions
        .find(session)
        .map(
            connection -> {
              connection.kick(Code.KICK_OPERATOR);
              return 1;
            })
        .orElse(0);
  }
}
