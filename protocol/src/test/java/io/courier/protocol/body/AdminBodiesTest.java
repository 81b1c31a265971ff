package io.courier.protocol.body;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bodies of the operator controls ({@code courier.admin.*}, event-bus.md section 10). */
class AdminBodiesTest {

  @Test
  void aBanRequestNamesExactlyOneTargetForABoundedPeriod() throws MalformedBodyException {
    BanRequest request =
        BanRequest.fromJson(
            new JsonObject().put("ip", "203.0.113.0/24").put("seconds", 60).put("reason", "flood"));
    assertEquals(BanTarget.ip("203.0.113.0/24"), request.target());
    assertEquals(60, request.seconds());
    assertEquals(request, BanRequest.fromJson(request.toJson()));

    for (JsonObject bad :
        List.of(
            new JsonObject().put("seconds", 60),
            new JsonObject().put("uid", "a").put("ip", "10.0.0.1").put("seconds", 60),
            new JsonObject().put("uid", "no spaces").put("seconds", 60),
            new JsonObject().put("ip", "").put("seconds", 60),
            new JsonObject().put("uid", "a").put("seconds", 0),
            new JsonObject().put("uid", "a").put("seconds", BanRequest.MAX_SECONDS + 1),
            new JsonObject().put("uid", "a").put("seconds", 60).put("reason", "x".repeat(201)),
            new JsonObject().put("uid", "a").put("seconds", 60).put("reason", 7))) {
      assertThrows(MalformedBodyException.class, () -> BanRequest.fromJson(bad), bad::encode);
    }
  }

  @Test
  void answersOpenWithCodeZeroAndReadBack() throws MalformedBodyException {
    Ban ban = new Ban(BanTarget.uid("alice"), 1_767_229_200_000L, null);
    assertEquals(
        new JsonObject()
            .put("code", 0)
            .put("ban", new JsonObject().put("uid", "alice").put("until", 1_767_229_200_000L)),
        new BanAnswer(ban).toJson());
    assertEquals(ban, BanAnswer.fromJson(new BanAnswer(ban).toJson()).ban());
    assertEquals(List.of(ban), BansAnswer.fromJson(new BansAnswer(List.of(ban)).toJson()).bans());
    assertEquals(
        new JsonObject().put("code", 0).put("lifted", true), new UnbanAnswer(true).toJson());
    assertEquals(new JsonObject().put("code", 0).put("kicked", 2), new KickAnswer(2).toJson());
  }

  @Test
  void aKickNamesAUidAndOptionallyOneAppcode() throws MalformedBodyException {
    assertNull(KickRequest.fromJson(new JsonObject().put("uid", "alice")).appcode());
    assertEquals(
        101,
        KickRequest.fromJson(new JsonObject().put("uid", "alice").put("appcode", 101)).appcode());
    assertThrows(
        MalformedBodyException.class,
        () -> KickRequest.fromJson(new JsonObject().put("uid", "alice").put("appcode", 0)));
  }
}
