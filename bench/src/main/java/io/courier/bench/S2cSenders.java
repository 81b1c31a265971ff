package io.courier.bench;

import static io.courier.bench.BenchOption.*;

import io.vertx.core.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The business side of {@code bench s2c}: {@code --senders} requesters of the {@code --sender}
 * kind, each with the context it must be used on, and their closing — bridge connections closed, or
 * the cluster left.
 */
final class S2cSenders {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final SenderKind kind;
  private final List<Requester> requesters = new ArrayList<>();
  private final List<Context> contexts = new ArrayList<>();
  private final List<BridgeClient> bridges = new ArrayList<>();
  private ClusterMember member;
  private boolean closed;

  private S2cSenders(SenderKind kind) {
    this.kind = kind;
  }

  /** Connects {@code count} bridge senders, or joins the cluster with one event loop per sender. */
  static S2cSenders open(BenchRun run, SenderKind kind, int count) {
    S2cSenders senders = new S2cSenders(kind);
    try {
      if (kind == SenderKind.BRIDGE) {
        run.progress("s2c: connecting %d bridge sender(s)", count);
        for (int i = 0; i < count; i++) {
          BridgeClient bridge =
              Blocking.await(
                  BridgeClient.connect(
                      run.vertx,
                      run.loops.get(i),
                      run.host(),
                      run.options.integer(BRIDGE_PORT),
                      run.requestTimeout().toMillis()),
                  CONNECT_TIMEOUT);
          senders.bridges.add(bridge);
          senders.add(bridge, run.loops.get(i));
        }
      } else {
        ClusterMember.Settings settings = ClusterMember.Settings.of(run.options);
        run.progress(
            "s2c: joining cluster '%s' at %s as %s:%d",
            settings.clusterName(),
            String.join(",", settings.members()),
            settings.host(),
            settings.port());
        senders.member = ClusterMember.join(settings, count);
        run.progress(
            "s2c: joined (%d members); %d sender(s) on the clustered event bus",
            senders.member.clusterSize(), count);
        for (int i = 0; i < count; i++) {
          senders.add(
              new EventBusRequester(senders.member, run.requestTimeout().toMillis()),
              senders.member.loops().get(i));
        }
      }
      return senders;
    } catch (RuntimeException e) {
      senders.close();
      throw e;
    }
  }

  private void add(Requester requester, Context context) {
    requesters.add(requester);
    contexts.add(context);
  }

  SenderKind kind() {
    return kind;
  }

  Requester requester(int i) {
    return requesters.get(i);
  }

  /** The context sender {@code i} must run on. */
  Context context(int i) {
    return contexts.get(i);
  }

  /** Members of the cluster when the bench joined it, or 0 for the bridge sender. */
  int clusterSize() {
    return member == null ? 0 : member.clusterSize();
  }

  /** Closes the bridge connections or leaves the cluster; later calls do nothing. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    bridges.forEach(BridgeClient::close);
    if (member != null) {
      member.leave();
    }
  }
}
