package io.courier.bench;

import static io.courier.bench.BenchOption.*;

import io.courier.contract.Addresses;
import io.courier.protocol.Code;
import io.courier.protocol.MalformedBodyException;
import io.courier.protocol.body.GroupInfo;
import io.courier.protocol.body.Result;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The business side of {@code bench group}: creates the run's groups with {@code
 * courier.group.create} over one connection to the node's TCP bridge, as a business would, one
 * request at a time, and checks each answer against docs/groups.md before any member sends.
 */
final class GroupCreator {
  private static final String CREATE = Addresses.GROUP_CREATE;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private GroupCreator() {}

  /**
   * Creates every group of {@code plan}, recording each request's round trip in {@code latency};
   * throws {@link Blocking.BenchFailure} on the first group that is not created as asked.
   */
  static void createAll(BenchRun run, GroupPlan plan, Latency latency) {
    Context context = run.loops.get(0);
    BridgeClient bridge =
        Blocking.await(
            BridgeClient.connect(
                run.vertx,
                context,
                run.host(),
                run.options.integer(BRIDGE_PORT),
                run.requestTimeout().toMillis()),
            CONNECT_TIMEOUT);
    try {
      for (int group = 0; group < plan.groups(); group++) {
        JsonObject request = plan.createRequest(group).toCreateJson();
        long start = System.nanoTime();
        Promise<JsonObject> answered = Promise.promise();
        context.runOnContext(v -> bridge.request(CREATE, request).onComplete(answered));
        JsonObject answer;
        try {
          answer = Blocking.await(answered.future(), run.requestTimeout().plusSeconds(2));
        } catch (Blocking.BenchFailure e) {
          throw new Blocking.BenchFailure(
              CREATE
                  + " of "
                  + plan.groupId(group)
                  + ": "
                  + e.getMessage()
                  + (bridge.refusals() > 0 ? "; the bridge refused: " + bridge.lastRefusal() : ""),
              e);
        }
        latency.recordSince(start);
        check(plan, group, answer);
      }
    } finally {
      bridge.close();
    }
  }

  /**
   * Accepts {@code answer} only as the creation of {@code group} with all its members (a {@link
   * GroupInfo}); anything else is a {@link Blocking.BenchFailure} naming the group and what came
   * back.
   */
  static void check(GroupPlan plan, int group, JsonObject answer) {
    String groupId = plan.groupId(group);
    GroupInfo created;
    try {
      Result result = Result.fromJson(answer);
      if (!result.isOk()) {
        throw new Blocking.BenchFailure(
            CREATE
                + " of "
                + groupId
                + " answered "
                + result.code().value()
                + ": "
                + result.msg()
                + (result.code() == Code.TOO_LARGE
                    ? " (more than the node's routing.groupMaxMembers: lower --members or raise"
                        + " COURIER_GROUP_MAX_MEMBERS)"
                    : ""));
      }
      created = GroupInfo.fromJson(answer);
    } catch (MalformedBodyException e) {
      throw new Blocking.BenchFailure(
          CREATE + " of " + groupId + " answered " + answer.encode() + ": " + e.getMessage());
    }
    if (!created.groupId().equals(groupId) || created.members().size() != plan.members()) {
      throw new Blocking.BenchFailure(
          CREATE
              + " of "
              + groupId
              + " with "
              + plan.members()
              + " members created "
              + created.groupId()
              + " with "
              + created.members().size());
    }
  }
}
