package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.body.GroupInfo;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answers to courier.group.create that let the bench go on, and those that stop it. */
class GroupCreatorTest {
  private final GroupPlan plan = GroupPlan.of("mk3x9", 1, 2, 1, 101);

  @Test
  void acceptsTheGroupCreatedWithAllItsMembers() {
    GroupCreator.check(plan, 0, created("bench-mk3x9-0", 2));
  }

  @Test
  void stopsOnARefusalWithItsCodeAndMessage() {
    String tooLarge =
        refusal(new JsonObject().put("code", 413).put("msg", "at most 500 members")).getMessage();
    assertTrue(tooLarge.contains("bench-mk3x9-0 answered 413: at most 500 members"), tooLarge);
    assertTrue(tooLarge.contains("COURIER_GROUP_MAX_MEMBERS"), tooLarge);
    String exists = refusal(new JsonObject().put("code", 409).put("msg", "exists")).getMessage();
    assertTrue(exists.endsWith("answered 409: exists"), exists);
  }

  @Test
  void stopsOnACodeZeroThatIsNotTheGroupAsked() {
    String bare = refusal(new JsonObject().put("code", 0)).getMessage();
    assertTrue(bare.endsWith("group must be an object"), bare);
    String other = refusal(created("bench-other-0", 2)).getMessage();
    assertTrue(other.endsWith("with 2 members created bench-other-0 with 2"), other);
    String fewer = refusal(created("bench-mk3x9-0", 1)).getMessage();
    assertTrue(fewer.endsWith("with 2 members created bench-mk3x9-0 with 1"), fewer);
  }

  private Blocking.BenchFailure refusal(JsonObject answer) {
    return assertThrows(Blocking.BenchFailure.class, () -> GroupCreator.check(plan, 0, answer));
  }

  private static JsonObject created(String groupId, int members) {
    List<GroupInfo.Member> list = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      list.add(new GroupInfo.Member("u" + i, 101, 1, 0));
    }
    return new GroupInfo(groupId, "t", false, 0, list).toJson();
  }
}
