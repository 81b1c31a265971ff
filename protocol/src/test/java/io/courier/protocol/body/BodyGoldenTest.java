package io.courier.protocol.body;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.protocol.Code;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact JSON of every body record, written by hand from protocol.md and event-bus.md (most are
 * their examples), and the round trip back through its decoder. Key order is pinned too: Courier
 * writes the keys in this order, and the frame encoder writes a JSON object's keys as they were
 * put.
 */
class BodyGoldenTest {
  private static final MessageLimits LIMITS = new MessageLimits(16384, appcode -> appcode == 201);

  private static final Message PUSHED =
      new Message(
          132271570944012293L,
          Kind.C2C,
          "alice",
          101,
          "bob",
          101,
          1,
          "hi",
          1767225600123L,
          "trace-0001");

  private static final String PUSHED_JSON =
      "{\"msgid\":\"132271570944012293\",\"kind\":\"c2c\",\"from_uid\":\"alice\","
          + "\"from_appcode\":101,\"to_uid\":\"bob\",\"to_appcode\":101,\"msgtype\":1,"
          + "\"content\":\"hi\",\"senddate\":1767225600123,\"logid\":\"trace-0001\"}";

  /** A body, its exact JSON, and how to read it back. */
  record Golden(
      String name,
      Object body,
      Function<Object, JsonObject> encoder,
      String json,
      Decoder decoder) {
    @Override
    public String toString() {
      return name;
    }
  }

  @FunctionalInterface
  interface Decoder {
    Object decode(JsonObject json) throws MalformedBodyException;
  }

  static List<Golden> golden() {
    return List.of(
        golden("result ok", Result.ok(), Result::toJson, "{\"code\":0}", Result::fromJson),
        golden(
            "result error",
            Result.error(Code.UNAVAILABLE, "message store unavailable"),
            Result::toJson,
            "{\"code\":503,\"msg\":\"message store unavailable\"}",
            Result::fromJson),
        golden(
            "result error with the default reason",
            Result.error(Code.TIMEOUT, null),
            Result::toJson,
            "{\"code\":504,\"msg\":\"timed out, retry later\"}",
            Result::fromJson),
        golden("PUSH", PUSHED, Message::toPushBody, PUSHED_JSON, Message::fromPushBody),
        golden(
            "PUSH of an s2c message without sender",
            new Message(7, Kind.S2C, "", 0, "driver-17", 201, 9, "x", 1, "0123456789abcdef"),
            Message::toPushBody,
            "{\"msgid\":\"7\",\"kind\":\"s2c\",\"from_uid\":\"\",\"from_appcode\":0,"
                + "\"to_uid\":\"driver-17\",\"to_appcode\":201,\"msgtype\":9,\"content\":\"x\","
                + "\"senddate\":1,\"logid\":\"0123456789abcdef\"}",
            Message::fromPushBody),
        golden(
            "PUSH of a group message to a member",
            new Message(9, Kind.C2G, "user-1", 101, "merchant-1", 201, 1, "ready?", 2, "trace-0002")
                .inGroup("order-77"),
            Message::toPushBody,
            "{\"msgid\":\"9\",\"kind\":\"c2g\",\"from_uid\":\"user-1\",\"from_appcode\":101,"
                + "\"to_uid\":\"merchant-1\",\"to_appcode\":201,\"msgtype\":1,"
                + "\"content\":\"ready?\",\"senddate\":2,\"logid\":\"trace-0002\","
                + "\"group_id\":\"order-77\"}",
            Message::fromPushBody),
        golden(
            "courier.group.create request",
            new GroupRequest(
                "order-77",
                "Order 77",
                List.of(new GroupRequest.Invitee("merchant-1", 201)),
                List.of()),
            GroupRequest::toCreateJson,
            "{\"group_id\":\"order-77\",\"title\":\"Order 77\","
                + "\"members\":[{\"uid\":\"merchant-1\",\"appcode\":201}]}",
            json -> GroupRequest.create(json, LIMITS)),
        golden(
            "courier.group.members request",
            new GroupRequest(
                "order-77",
                "",
                List.of(new GroupRequest.Invitee("driver-1", 201)),
                List.of("support-1")),
            GroupRequest::toMembersJson,
            "{\"group_id\":\"order-77\",\"add\":[{\"uid\":\"driver-1\",\"appcode\":201}],"
                + "\"remove\":[\"support-1\"]}",
            json -> GroupRequest.members(json, LIMITS)),
        golden(
            "courier.group answer",
            new GroupInfo(
                "order-77",
                "Order 77",
                false,
                132271570944012293L,
                List.of(new GroupInfo.Member("merchant-1", 201, 132271570944000001L, 0))),
            GroupInfo::toJson,
            "{\"code\":0,\"group\":{\"group_id\":\"order-77\",\"title\":\"Order 77\","
                + "\"closed\":false,\"last_msgid\":\"132271570944012293\",\"members\":["
                + "{\"uid\":\"merchant-1\",\"appcode\":201,\"joined\":\"132271570944000001\","
                + "\"read_upto\":\"0\"}]}}",
            GroupInfo::fromJson),
        golden(
            "READ of a group",
            new ReadRequest(null, 0, "order-77", 132271570944012293L),
            ReadRequest::toJson,
            "{\"group_id\":\"order-77\",\"upto\":\"132271570944012293\"}",
            json -> ReadRequest.fromJson(json, LIMITS)),
        golden(
            "CONVERSATIONS page with a group",
            new ConversationPage(
                List.of(
                    new ConversationPage.Entry(
                        null, 132271570944012293L, 0, 2, null, "order-77", "Order 77")),
                false),
            ConversationPage::toJson,
            "{\"code\":0,\"convs\":[{\"group_id\":\"order-77\",\"title\":\"Order 77\","
                + "\"last_msgid\":\"132271570944012293\",\"read_upto\":\"0\",\"unread\":2}],"
                + "\"more\":false}",
            ConversationPage::fromJson),
        golden(
            "C2C answer",
            new C2cAnswer(132271570944012293L, 1767225600123L),
            C2cAnswer::toJson,
            "{\"code\":0,\"msgid\":\"132271570944012293\",\"senddate\":1767225600123}",
            C2cAnswer::fromJson),
        golden(
            "C2S answer",
            new C2sAnswer(Result.ok(), 132271570944020481L),
            C2sAnswer::toJson,
            "{\"code\":0,\"msgid\":\"132271570944020481\"}",
            C2sAnswer::fromJson),
        golden(
            "C2S answer of a qos-1 message stored for a consumer",
            new C2sAnswer(Result.ok(), 132271570944020482L, Step.STORED),
            C2sAnswer::toJson,
            "{\"code\":0,\"msgid\":\"132271570944020482\",\"status\":\"stored\"}",
            C2sAnswer::fromJson),
        golden(
            "C2S answer refused by the business",
            new C2sAnswer(
                Result.error(Code.UNAVAILABLE, "no consumer on courier.c2s.201.7"),
                132271570944020481L),
            C2sAnswer::toJson,
            "{\"code\":503,\"msg\":\"no consumer on courier.c2s.201.7\","
                + "\"msgid\":\"132271570944020481\"}",
            C2sAnswer::fromJson),
        golden(
            "PULL or HISTORY page",
            new MessagePage(List.of(PUSHED), true),
            MessagePage::toJson,
            "{\"code\":0,\"msgs\":[" + PUSHED_JSON + "],\"more\":true}",
            MessagePage::fromJson),
        golden(
            "empty page",
            new MessagePage(List.of(), false),
            MessagePage::toJson,
            "{\"code\":0,\"msgs\":[],\"more\":false}",
            MessagePage::fromJson),
        golden(
            "OFFLINE_ACK answer",
            new OfflineAckAnswer(3),
            OfflineAckAnswer::toJson,
            "{\"code\":0,\"removed\":3}",
            OfflineAckAnswer::fromJson),
        golden(
            "courier.s2c request",
            new S2cRequest(
                List.of("driver-17"), false, 201, 9, "{\"order\":42}", 1, null, "order-42-trace"),
            S2cRequest::toJson,
            "{\"to_uid\":\"driver-17\",\"to_appcode\":201,\"msgtype\":9,"
                + "\"content\":\"{\\\"order\\\":42}\",\"qos\":1,\"logid\":\"order-42-trace\"}",
            json -> S2cRequest.fromJson(json, LIMITS)),
        golden(
            "courier.s2c.multi request",
            new S2cRequest(
                List.of("driver-17", "driver-23"),
                true,
                201,
                5,
                "order 7 near you",
                0,
                "dispatch",
                null),
            S2cRequest::toJson,
            "{\"to_uids\":[\"driver-17\",\"driver-23\"],\"to_appcode\":201,\"msgtype\":5,"
                + "\"content\":\"order 7 near you\",\"qos\":0,\"from_uid\":\"dispatch\"}",
            json -> S2cRequest.fromMultiJson(json, LIMITS)),
        golden(
            "courier.s2c answer",
            new S2cAnswer(132271570944012293L, Step.PUSHED),
            S2cAnswer::toJson,
            "{\"code\":0,\"msgid\":\"132271570944012293\",\"status\":\"pushed\"}",
            S2cAnswer::fromJson),
        golden(
            "courier.s2c answer, qos 0 not pushed",
            new S2cAnswer(132271570944012294L, Step.DROPPED),
            S2cAnswer::toJson,
            "{\"code\":0,\"msgid\":\"132271570944012294\",\"status\":\"dropped\"}",
            S2cAnswer::fromJson),
        golden(
            "courier.s2c.multi answer",
            new S2cMultiAnswer(
                List.of(
                    new S2cMultiAnswer.Entry("driver-17", 132271570944016385L, Step.PUSHED),
                    new S2cMultiAnswer.Entry("driver-40", 132271570944016387L, Step.STORED))),
            S2cMultiAnswer::toJson,
            "{\"code\":0,\"results\":["
                + "{\"to_uid\":\"driver-17\",\"msgid\":\"132271570944016385\",\"status\":\"pushed\"},"
                + "{\"to_uid\":\"driver-40\",\"msgid\":\"132271570944016387\",\"status\":\"stored\"}]}",
            S2cMultiAnswer::fromJson),
        golden(
            "courier.presence request",
            new PresenceRequest("alice"),
            PresenceRequest::toJson,
            "{\"uid\":\"alice\"}",
            PresenceRequest::fromJson),
        golden(
            "courier.presence answer",
            new PresenceReply(
                List.of(
                    new PresenceReply.Entry(101, "5c1f0e9a3b7d2c41", 1767225600123L),
                    new PresenceReply.Entry(103, "5c1f0e9a3b7d2c41", 1767225712004L))),
            PresenceReply::toJson,
            "{\"code\":0,\"sessions\":["
                + "{\"appcode\":101,\"node\":\"5c1f0e9a3b7d2c41\",\"since\":1767225600123},"
                + "{\"appcode\":103,\"node\":\"5c1f0e9a3b7d2c41\",\"since\":1767225712004}]}",
            PresenceReply::fromJson),
        golden(
            "receipt",
            new Receipt(132271570944012293L, "driver-17", 201, Step.ACKED, 1767225600456L),
            Receipt::toJson,
            "{\"msgid\":\"132271570944012293\",\"to_uid\":\"driver-17\",\"to_appcode\":201,"
                + "\"status\":\"acked\",\"ts\":1767225600456}",
            Receipt::fromJson),
        golden(
            "C2S message handed to a business",
            new C2sMessage(
                132271570944020481L,
                "driver-17",
                201,
                7,
                "lat=31.2,lng=121.5",
                1767225600789L,
                "3f9c2a7d1e0b4c55"),
            C2sMessage::toJson,
            "{\"msgid\":\"132271570944020481\",\"from_uid\":\"driver-17\",\"from_appcode\":201,"
                + "\"msgtype\":7,\"content\":\"lat=31.2,lng=121.5\",\"senddate\":1767225600789,"
                + "\"logid\":\"3f9c2a7d1e0b4c55\"}",
            C2sMessage::fromJson));
  }

  @SuppressWarnings("unchecked")
  private static <T> Golden golden(
      String name, T body, Function<T, JsonObject> encoder, String json, Decoder decoder) {
    return new Golden(name, body, (Function<Object, JsonObject>) encoder, json, decoder);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("golden")
  void writesTheExactJson(Golden golden) {
    assertEquals(golden.json(), golden.encoder().apply(golden.body()).encode());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("golden")
  void readsBackWhatArrivesAsText(Golden golden) throws MalformedBodyException {
    assertEquals(golden.body(), golden.decoder().decode(new JsonObject(golden.json())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("golden")
  void readsBackWhatArrivesAsAnObject(Golden golden) throws MalformedBodyException {
    // a local event-bus delivery hands over a copy of the object, its Java number types intact
    assertEquals(
        golden.body(), golden.decoder().decode(golden.encoder().apply(golden.body()).copy()));
  }
}
