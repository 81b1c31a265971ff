package io.courier.protocol.body;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.message.Message;
import io.courier.protocol.Code;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Decoders that read untrusted input refuse a bad body with the code and reason the sender gets:
 * the S2C request (event-bus.md 2 and 3, in its documented check order), the presence request, and
 * the answers and pushes a client reads.
 */
class BodyRefusalTest {
  private static final MessageLimits LIMITS = new MessageLimits(16, appcode -> appcode == 201);

  private static JsonObject s2c() {
    return new JsonObject()
        .put("to_uid", "driver-17")
        .put("to_appcode", 201)
        .put("msgtype", 9)
        .put("content", "order 42");
  }

  @Test
  void s2cDefaultsToQos1WithoutSenderOrLogid() throws MalformedBodyException {
    assertEquals(
        new S2cRequest(List.of("driver-17"), false, 201, 9, "order 42", 1, null, null),
        S2cRequest.fromJson(s2c(), LIMITS));
  }

  @Test
  void s2cFieldsAreCheckedInTheDocumentedOrder() {
    // every field after to_uid is bad too: the first bad field decides
    JsonObject allBad =
        new JsonObject()
            .put("to_appcode", 999)
            .put("msgtype", -1)
            .put("content", "x".repeat(17))
            .put("qos", 2)
            .put("from_uid", "no spaces");
    refused(Code.BAD_REQUEST, "to_uid is required", () -> S2cRequest.fromJson(allBad, LIMITS));
    allBad.put("to_uid", "driver-17");
    refused(
        Code.FORBIDDEN,
        "to_appcode 999 is not a configured app",
        () -> S2cRequest.fromJson(allBad, LIMITS));
    allBad.put("to_appcode", 201);
    refused(
        Code.BAD_REQUEST,
        "msgtype must be an integer 0-65535",
        () -> S2cRequest.fromJson(allBad, LIMITS));
    allBad.put("msgtype", 9);
    refused(Code.TOO_LARGE, "content exceeds 16 bytes", () -> S2cRequest.fromJson(allBad, LIMITS));
    allBad.put("content", "order 42");
    refused(Code.BAD_REQUEST, "qos must be 0 or 1", () -> S2cRequest.fromJson(allBad, LIMITS));
    allBad.put("qos", 0);
    refused(
        Code.BAD_REQUEST,
        "from_uid must be 1-64 chars of [A-Za-z0-9_.:@-]",
        () -> S2cRequest.fromJson(allBad, LIMITS));
  }

  @Test
  void s2cQosAndSenderOfTheWrongTypeAreNamed() {
    JsonObject body = s2c().put("qos", "0");
    refused(Code.BAD_REQUEST, "qos must be an integer", () -> S2cRequest.fromJson(body, LIMITS));
    body.put("qos", 0).put("from_uid", 42);
    refused(Code.BAD_REQUEST, "from_uid must be a string", () -> S2cRequest.fromJson(body, LIMITS));
  }

  @Test
  void groupRequestsNameTheirBadField() {
    refused(
        Code.BAD_REQUEST,
        "group_id is required",
        () -> GroupRequest.create(new JsonObject().put("members", new JsonArray()), LIMITS));
    refused(
        Code.BAD_REQUEST,
        "members is required",
        () -> GroupRequest.create(new JsonObject().put("group_id", "order-1"), LIMITS));
    refused(
        Code.BAD_REQUEST,
        "title must be at most 256 chars",
        () ->
            GroupRequest.create(
                new JsonObject()
                    .put("group_id", "order-1")
                    .put("title", "t".repeat(257))
                    .put("members", new JsonArray()),
                LIMITS));
    refused(
        Code.FORBIDDEN,
        "appcode 999 is not a configured app",
        () ->
            GroupRequest.create(
                new JsonObject()
                    .put("group_id", "order-1")
                    .put(
                        "members",
                        new JsonArray().add(new JsonObject().put("uid", "u").put("appcode", 999))),
                LIMITS));
    refused(
        Code.BAD_REQUEST,
        "each entry of add must be {uid, appcode}",
        () ->
            GroupRequest.members(
                new JsonObject().put("group_id", "order-1").put("add", new JsonArray().add("u")),
                LIMITS));
    refused(
        Code.BAD_REQUEST,
        "add or remove is required",
        () -> GroupRequest.members(new JsonObject().put("group_id", "order-1"), LIMITS));
    refused(
        Code.BAD_REQUEST,
        "each uid of remove must be 1-64 chars of [A-Za-z0-9_.:@-]",
        () ->
            GroupRequest.members(
                new JsonObject()
                    .put("group_id", "order-1")
                    .put("remove", new JsonArray().add("no spaces")),
                LIMITS));
    refused(
        Code.BAD_REQUEST,
        "group_id must be 1-64 chars of [A-Za-z0-9_.:@-]",
        () -> GroupRequest.target(new JsonObject().put("group_id", "")));
  }

  @Test
  void contentIsLimitedInUtf8Bytes() {
    // 9 chars, 18 bytes
    refused(
        Code.TOO_LARGE,
        "content exceeds 16 bytes",
        () -> S2cRequest.fromJson(s2c().put("content", "ééééééééé"), LIMITS));
  }

  @Test
  void anAppcodeOutOfRangeIsMalformedBeforeItIsUnknown() {
    refused(
        Code.BAD_REQUEST,
        "to_appcode must be an integer 1-65535",
        () -> S2cRequest.fromJson(s2c().put("to_appcode", 70000), LIMITS));
  }

  @Test
  void multiKeepsTheFirstOfDuplicateReceiversInOrder() throws MalformedBodyException {
    JsonObject body = s2c().put("to_uids", new JsonArray(List.of("b", "a", "b", "c")));

    assertEquals(List.of("b", "a", "c"), S2cRequest.fromMultiJson(body, LIMITS).toUids());
  }

  @Test
  void multiCountsReceiversAsSent() {
    JsonArray tooMany = new JsonArray(Collections.nCopies(S2cRequest.MAX_RECEIVERS + 1, "a"));

    refused(
        Code.BAD_REQUEST,
        "to_uids must be an array of 1-1000 uids",
        () -> S2cRequest.fromMultiJson(s2c().put("to_uids", tooMany), LIMITS));
    refused(
        Code.BAD_REQUEST,
        "to_uids must be an array of 1-1000 uids",
        () -> S2cRequest.fromMultiJson(s2c().put("to_uids", new JsonArray()), LIMITS));
    refused(
        Code.BAD_REQUEST,
        "to_uids must hold uids: 1-64 chars of [A-Za-z0-9_.:@-]",
        () -> S2cRequest.fromMultiJson(s2c().put("to_uids", new JsonArray().add(7)), LIMITS));
  }

  @Test
  void presenceNeedsAUid() {
    refused(
        Code.BAD_REQUEST,
        "uid must be 1-64 chars of [A-Za-z0-9_.:@-]",
        () -> PresenceRequest.fromJson(new JsonObject().put("uid", "")));
    refused(Code.BAD_REQUEST, "uid is required", () -> PresenceRequest.fromJson(new JsonObject()));
  }

  @Test
  void anAnswerWithoutAnIntegerCodeIsRefused() {
    refused(Code.BAD_REQUEST, "code is required", () -> Result.fromJson(new JsonObject()));
    refused(
        Code.BAD_REQUEST,
        "code must be an integer",
        () -> Result.fromJson(new JsonObject().put("code", "0")));
    refused(
        Code.BAD_REQUEST,
        "msg must be a string",
        () -> Result.fromJson(new JsonObject().put("code", 400).put("msg", 1)));
  }

  @Test
  void aCodeThisVersionDoesNotKnowReadsAsAFailure() throws MalformedBodyException {
    assertEquals(
        new Result(Code.INTERNAL, "new"),
        Result.fromJson(new JsonObject().put("code", 599).put("msg", "new")));
    assertEquals(Code.INTERNAL, Result.fromJson(new JsonObject().put("code", 1L << 40)).code());
  }

  @Test
  void aPushBodyNamesTheFieldItLacks() {
    JsonObject push =
        new JsonObject(
            "{\"msgid\":\"7\",\"kind\":\"s2c\",\"from_uid\":\"\",\"from_appcode\":0,"
                + "\"to_uid\":\"bob\",\"to_appcode\":101,\"msgtype\":9,\"content\":\"x\","
                + "\"senddate\":1,\"logid\":\"0123456789abcdef\"}");

    refused(
        Code.BAD_REQUEST,
        "content is required",
        () -> Message.fromPushBody(push.copy().put("content", null)));
    refused(
        Code.BAD_REQUEST,
        "kind must be s2c, c2c, c2g or read",
        () -> Message.fromPushBody(push.copy().put("kind", "p2p")));
    refused(
        Code.BAD_REQUEST,
        "msgid must be a msgid: a decimal string",
        () -> Message.fromPushBody(push.copy().put("msgid", 7)));
  }

  @Test
  void aPageMustHoldPushBodies() {
    refused(
        Code.BAD_REQUEST,
        "msgs must hold PUSH bodies",
        () ->
            MessagePage.fromJson(
                new JsonObject()
                    .put("code", 0)
                    .put("msgs", new JsonArray().add(1))
                    .put("more", false)));
    refused(
        Code.BAD_REQUEST,
        "more must be a boolean",
        () -> MessagePage.fromJson(new JsonObject().put("code", 0).put("msgs", new JsonArray())));
  }

  @Test
  void statusesAreTheDocumentedOnes() {
    refused(
        Code.BAD_REQUEST,
        "status must be pushed, stored or dropped",
        () ->
            S2cAnswer.fromJson(
                new JsonObject().put("code", 0).put("msgid", "1").put("status", "acked")));
    refused(
        Code.BAD_REQUEST,
        "status must be pushed, acked, stored, pulled, handed or read",
        () ->
            Receipt.fromJson(
                new JsonObject()
                    .put("msgid", "1")
                    .put("to_uid", "bob")
                    .put("to_appcode", 101)
                    .put("status", "dropped")
                    .put("ts", 1)));
  }

  @Test
  void msgidsFromClientsAreUnsignedDecimalStrings() throws MalformedBodyException {
    assertEquals(
        Long.MAX_VALUE,
        MessageFields.msgid(new JsonObject().put("upto", "18446744073709551615"), "upto"));
    assertEquals(7, MessageFields.msgid(new JsonObject().put("after", "007"), "after", 0));
    assertEquals(0, MessageFields.msgid(new JsonObject(), "after", 0));
    refused(
        Code.BAD_REQUEST,
        "upto must be a msgid below 2^64",
        () -> MessageFields.msgid(new JsonObject().put("upto", "18446744073709551616"), "upto"));
    refused(
        Code.BAD_REQUEST,
        "upto must be a msgid: a decimal string",
        () -> MessageFields.msgid(new JsonObject().put("upto", "-1"), "upto"));
  }

  private static void refused(Code code, String msg, Executable decode) {
    MalformedBodyException refusal = assertThrows(MalformedBodyException.class, decode);
    assertEquals(code, refusal.code());
    assertEquals(msg, refusal.getMessage());
  }
}
