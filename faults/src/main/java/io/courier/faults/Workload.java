package io.courier.faults;

import io.courier.client.CourierClient;
import io.courier.faults.Topology.NodeNet;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The recorded workload: groups created at the start, terminals (C2C, C2G, C2S, PULL/OFFLINE_ACK,
 * reconnects), a business sending S2C through each node's bridge and consuming C2S on each node's
 * bridge (coming and going as a {@link ConsumerSchedule} says), and the presence sampler. {@link
 * #quiesce()} ends the sending; the terminals then make their final catch-up.
 */
final class Workload {
  /** Bound of the final wait for the C2S outbox to hand over what it still holds. */
  static final long DRAIN_MS = 60_000;

  private final Vertx vertx = Vertx.vertx();
  private final CourierClient client =
      new CourierClient(
          vertx, new NetClientOptions().setConnectTimeout(2_000), Duration.ofSeconds(15));
  private final List<Thread> terminals = new ArrayList<>();
  private final List<Thread> senders = new ArrayList<>();
  private final List<BusinessConsumer> consumers = new ArrayList<>();
  private final List<Thread> others = new ArrayList<>();
  private final PresenceSampler sampler;
  private final C2sLedger ledger = new C2sLedger();
  private final History history;
  private final List<GroupPlan.Group> groups;
  private final GroupCreator groupCreator;
  private volatile boolean generating = true;
  private volatile long startedAt;

  Workload(List<NodeNet> nodes, int terminalCount, long seed, int redisPort, History history) {
    this.history = history;
    List<String> uids = new ArrayList<>();
    for (int i = 1; i <= terminalCount; i++) {
      uids.add("u" + i);
    }
    groups = GroupPlan.of(uids, seed, FaultRun.SHARDS);
    groupCreator = new GroupCreator(nodes, history);
    for (int i = 0; i < uids.size(); i++) {
      String uid = uids.get(i);
      List<String> peers = new ArrayList<>(uids);
      peers.remove(i);
      List<String> memberOf =
          groups.stream().filter(g -> g.has(uid)).map(GroupPlan.Group::id).toList();
      Terminal terminal =
          new Terminal(
              uid, peers, memberOf, nodes, client, history, seed * 1_000 + i, this, ledger);
      terminals.add(new Thread(terminal, "terminal-" + uids.get(i)));
    }
    ConsumerSchedule schedule = new ConsumerSchedule(seed, nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      NodeNet node = nodes.get(i);
      senders.add(
          new Thread(
              new BusinessSender(node, uids, history, seed * 1_000 + 500 + node.index(), this),
              "s2c-" + node.name()));
      BusinessConsumer consumer = new BusinessConsumer(node, history, this, schedule, i, ledger);
      consumers.add(consumer);
      others.add(new Thread(consumer, "c2s-" + node.name()));
    }
    sampler = new PresenceSampler(redisPort, uids, history);
    others.add(new Thread(sampler, "presence"));
  }

  boolean generating() {
    return generating;
  }

  /** ms since {@link #start()}: the time base of the consumers' schedule. */
  long elapsedMs() {
    return System.currentTimeMillis() - startedAt;
  }

  /** Creates the groups (the cluster is whole and no fault is on yet), then starts everything. */
  void start() throws InterruptedException {
    groupCreator.create(groups);
    startedAt = System.currentTimeMillis();
    others.forEach(Thread::start);
    senders.forEach(Thread::start);
    terminals.forEach(Thread::start);
  }

  /**
   * Stops sending, waits until every terminal has made its final catch-up (or given up after its
   * bound), then until the business has received every qos-1 C2S answered 0 (the consumers are all
   * registered again by then), for at most {@link #DRAIN_MS}.
   */
  void quiesce() throws InterruptedException {
    generating = false;
    for (Thread sender : senders) {
      sender.join(TimeUnit.SECONDS.toMillis(30));
    }
    for (Thread terminal : terminals) {
      terminal.join(TimeUnit.SECONDS.toMillis(180));
    }
    long start = System.currentTimeMillis();
    int pending = ledger.awaitDrained(DRAIN_MS);
    history.write(
        History.event("drain")
            .put("pending", pending)
            .put("ms", System.currentTimeMillis() - start));
  }

  void stop() throws InterruptedException {
    generating = false;
    consumers.forEach(BusinessConsumer::stop);
    sampler.stop();
    for (Thread thread : others) {
      thread.join(5_000);
    }
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
