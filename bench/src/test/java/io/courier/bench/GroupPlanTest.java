package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupPlanTest {

  @Test
  void laysOutGroupsOneAfterTheOtherWithTheirFirstMembersSending() {
    GroupPlan plan = GroupPlan.of("mk3x9", 2, 3, 2, 101);
    assertEquals(6, plan.connections());
    assertEquals(4, plan.senders());
    assertEquals(2, plan.recipientsPerMessage());
    assertEquals(
        List.of(
            "grp-mk3x9-0-0",
            "grp-mk3x9-0-1",
            "grp-mk3x9-0-2",
            "grp-mk3x9-1-0",
            "grp-mk3x9-1-1",
            "grp-mk3x9-1-2"),
        plan.uids());
    assertEquals(1, plan.groupOf(4));
    assertEquals(1, plan.slotOf(4));
    assertTrue(plan.sends(4));
    assertFalse(plan.sends(5));
    assertEquals("bench-mk3x9-1", plan.groupId(plan.groupOf(4)));
  }

  @Test
  void createsEachGroupWithAllItsMembersOnTheBenchAppcode() {
    GroupPlan plan = GroupPlan.of("mk3x9", 2, 2, 1, 101);
    JsonObject request = plan.createRequest(1).toCreateJson();
    assertEquals("bench-mk3x9-1", request.getString("group_id"));
    assertEquals(
        new JsonArray()
            .add(new JsonObject().put("uid", "grp-mk3x9-1-0").put("appcode", 101))
            .add(new JsonObject().put("uid", "grp-mk3x9-1-1").put("appcode", 101)),
        request.getJsonArray("members"));
    assertEquals("bench group 1", request.getString("title"));
  }

  @Test
  void itsIdsAreValidUidsAndGroupIdsForTheLargestRun() {
    GroupPlan plan = GroupPlan.of(Long.toString(Long.MAX_VALUE, 36), 9_500, 2, 1, 101);
    String last = plan.uid(plan.connections() - 1);
    assertTrue(Fields.isUid(last), last);
    assertTrue(Fields.isUid(plan.groupId(plan.groups() - 1)), plan.groupId(plan.groups() - 1));
  }

  @Test
  void refusesLayoutsTheBenchCannotRun() {
    assertEquals(
        "--senders-per-group must be 1-3 (--members), got 4",
        assertThrows(IllegalArgumentException.class, () -> GroupPlan.of("t", 1, 3, 4, 101))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> GroupPlan.of("t", 1, 1, 1, 101));
    String tooMany =
        assertThrows(IllegalArgumentException.class, () -> GroupPlan.of("t", 39, 500, 1, 101))
            .getMessage();
    assertTrue(tooMany.contains("19,500 connections"), tooMany);
    assertEquals(19_000, GroupPlan.of("t", 38, 500, 1, 101).connections());
  }
}
