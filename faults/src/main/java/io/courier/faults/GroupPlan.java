package io.courier.faults;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * The workload's groups, chosen from the seed before the run: {@link #GROUPS} groups of {@link
 * #MEMBERS} users each, whose ids alternate between the MySQL shards and whose members span both
 * shards, so that group messages take the cross-shard write (docs/groups.md section 4). Membership
 * stays fixed for the whole run.
 *
 * @implNote The shard is computed here as the server does (CRC-32 of the UTF-8 id, modulo the
 *     shards, docs/storage.md): the suite does not depend on the server's code, and the function is
 *     part of the storage's documented contract.
 */
final class GroupPlan {
  static final int GROUPS = 3;
  static final int MEMBERS = 4;

  /** One group: its id, its shard and its members' uids. */
  record Group(String id, int shard, List<String> members) {
    boolean has(String uid) {
      return members.contains(uid);
    }
  }

  private GroupPlan() {}

  static List<Group> of(List<String> uids, long seed, int shards) {
    Random random = new Random(seed);
    List<Group> groups = new ArrayList<>();
    int suffix = 0;
    for (int g = 0; g < GROUPS && uids.size() >= MEMBERS; g++) {
      String id;
      do {
        id = "order-" + (g + 1) + "-" + suffix++;
      } while (shardOf(id, shards) != g % shards);
      List<String> members;
      int tries = 0;
      do {
        List<String> shuffled = new ArrayList<>(uids);
        Collections.shuffle(shuffled, random);
        members = List.copyOf(shuffled.subList(0, MEMBERS));
      } while (++tries < 100
          && members.stream().map(m -> shardOf(m, shards)).distinct().count()
              < Math.min(shards, MEMBERS));
      groups.add(new Group(id, shardOf(id, shards), members));
    }
    return groups;
  }

  static int shardOf(String id, int shards) {
    CRC32 crc = new CRC32();
    crc.update(id.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % shards);
  }
}
