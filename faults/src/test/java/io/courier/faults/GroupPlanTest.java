package io.courier.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The workload's groups: determined by the seed, and spread over the shards. */
class GroupPlanTest {
  private static final List<String> UIDS = uids(12);

  @Test
  void oneSeedGivesTheSameGroups() {
    assertEquals(GroupPlan.of(UIDS, 42, 2), GroupPlan.of(UIDS, 42, 2));
  }

  @Test
  void groupsOfDistinctUsersAlternateShardsAndSpanBoth() {
    for (long seed = 1; seed <= 50; seed++) {
      List<GroupPlan.Group> groups = GroupPlan.of(UIDS, seed, 2);
      assertEquals(GroupPlan.GROUPS, groups.size());
      assertEquals(
          GroupPlan.GROUPS,
          new HashSet<>(groups.stream().map(GroupPlan.Group::id).toList()).size());
      for (int g = 0; g < groups.size(); g++) {
        GroupPlan.Group group = groups.get(g);
        assertEquals(g % 2, group.shard());
        assertEquals(group.shard(), GroupPlan.shardOf(group.id(), 2));
        assertEquals(GroupPlan.MEMBERS, new HashSet<>(group.members()).size());
        assertTrue(UIDS.containsAll(group.members()));
        assertEquals(
            2, group.members().stream().map(m -> GroupPlan.shardOf(m, 2)).distinct().count());
      }
    }
  }

  @Test
  void theShardIsMysqlsCrc32ModuloTheShards() {
    // MySQL: SELECT CRC32('alice') = 663665735
    assertEquals(663665735L % 2, GroupPlan.shardOf("alice", 2));
    assertEquals(663665735L % 3, GroupPlan.shardOf("alice", 3));
  }

  @Test
  void tooFewUsersGiveNoGroups() {
    assertEquals(List.of(), GroupPlan.of(uids(3), 1, 2));
  }

  private static List<String> uids(int count) {
    List<String> uids = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      uids.add("u" + i);
    }
    return uids;
  }
}
