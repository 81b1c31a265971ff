package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
    assertTrue(refusal(new JsonObject().put("code", 0)).getMessage().contains("without the group"));
    assertTrue(refusal(created("bench-other-0", 2)).getMessage().contains("without the group"));
    assertTrue(
        refusal(created("bench-mk3x9-0", 1)).getMessage().endsWith("created 1 members of 2"));
  }

  private Blocking.BenchFailure refusal(JsonObject answer) {
    return assertThrows(Blocking.BenchFailure.class, () -> GroupCreator.check(plan, 0, answer));
  }

  private static JsonObject created(String groupId, int members) {
    JsonArray list = new JsonArray();
    for (int i = 0; i < members; i++) {
      list.add(new JsonObject().put("uid", "u" + i).put("appcode", 101).put("joined", "1"));
    }
    return new JsonObject()
        .put("code", 0)
        .put(
            "group",
            new JsonObject()
                .put("group_id", groupId)
                .put("title", "t")
                .put("closed", false)
                .put("members", list));
  }
}
