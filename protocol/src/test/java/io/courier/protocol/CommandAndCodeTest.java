package io.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.Command.Direction;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Wire values of protocol.md sections 3.2 (commands) and 7 (codes), and the typed field reads of
 * 6.2.
 */
class CommandAndCodeTest {

  /** Section 3.2, copied from the spec table: cmd, name, direction. */
  static Stream<Arguments> commandTable() {
    return Stream.of(
        Arguments.of(0x0001, "LOGIN", Direction.CLIENT),
        Arguments.of(0x0002, "LOGOUT", Direction.CLIENT),
        Arguments.of(0x0003, "PING", Direction.CLIENT),
        Arguments.of(0x0004, "REFRESH", Direction.CLIENT),
        Arguments.of(0x0005, "PUSH_REGISTER", Direction.CLIENT),
        Arguments.of(0x0010, "C2S", Direction.CLIENT),
        Arguments.of(0x0011, "C2C", Direction.CLIENT),
        Arguments.of(0x0012, "C2G", Direction.CLIENT),
        Arguments.of(0x0020, "PUSH", Direction.SERVER),
        Arguments.of(0x0030, "PULL", Direction.CLIENT),
        Arguments.of(0x0031, "OFFLINE_ACK", Direction.CLIENT),
        Arguments.of(0x0032, "HISTORY", Direction.CLIENT),
        Arguments.of(0x0033, "READ", Direction.CLIENT),
        Arguments.of(0x0034, "CONVERSATIONS", Direction.CLIENT),
        Arguments.of(0x0040, "KICK", Direction.SERVER),
        Arguments.of(0x00FF, "ERROR", Direction.SERVER));
  }

  /** Section 7, copied from the spec table. */
  static final Map<Integer, Code> CODE_TABLE = new LinkedHashMap<>();

  static {
    CODE_TABLE.put(0, Code.OK);
    CODE_TABLE.put(400, Code.BAD_REQUEST);
    CODE_TABLE.put(401, Code.AUTH_FAILED);
    CODE_TABLE.put(403, Code.FORBIDDEN);
    CODE_TABLE.put(404, Code.NOT_FOUND);
    CODE_TABLE.put(409, Code.CONFLICT);
    CODE_TABLE.put(410, Code.GONE);
    CODE_TABLE.put(413, Code.TOO_LARGE);
    CODE_TABLE.put(426, Code.UNSUPPORTED_VERSION);
    CODE_TABLE.put(429, Code.RATE_LIMITED);
    CODE_TABLE.put(440, Code.NOT_LOGGED_IN);
    CODE_TABLE.put(460, Code.UNKNOWN_CMD);
    CODE_TABLE.put(500, Code.INTERNAL);
    CODE_TABLE.put(503, Code.UNAVAILABLE);
    CODE_TABLE.put(504, Code.TIMEOUT);
    CODE_TABLE.put(4001, Code.KICK_REPLACED);
    CODE_TABLE.put(4002, Code.KICK_SHUTDOWN);
    CODE_TABLE.put(4003, Code.KICK_IDLE);
    CODE_TABLE.put(4004, Code.KICK_TOKEN_EXPIRED);
    CODE_TABLE.put(4005, Code.KICK_FRAME_RATE);
    CODE_TABLE.put(4006, Code.KICK_OPERATOR);
  }

  @ParameterizedTest(name = "{1} = {0}")
  @MethodSource("commandTable")
  void commandHasTheSpecsWireCodeAndDirection(int code, String name, Direction direction) {
    Command command = Command.valueOf(name);

    assertEquals(code, command.code());
    assertEquals(direction, command.direction());
    assertSame(command, Command.fromCode(code));
  }

  @ParameterizedTest(name = "{1} response = {0} | 0x8000")
  @MethodSource("commandTable")
  void responseCodeIsCodeOr0x8000(int code, String name) {
    assertEquals(code | 0x8000, Command.valueOf(name).responseCode());
  }

  @Test
  void pushAckIs0x8020() {
    assertEquals(0x8020, Command.PUSH.responseCode());
    assertEquals(0x8000, Command.RESPONSE_BIT);
  }

  @Test
  void thereAreNoCommandsBeyondTheSpecTable() {
    assertEquals(commandTable().count(), Command.values().length);
  }

  @ParameterizedTest
  @ValueSource(ints = {0x0000, 0x0006, 0x0013, 0x0041, 0x00FE, 0x0100, 0x8001, 0x8020, 0xFFFF, -1})
  void fromCodeOfAnUnknownOrResponseCodeIsNull(int code) {
    assertNull(Command.fromCode(code));
  }

  @Test
  void codesHaveTheSpecsWireValues() {
    CODE_TABLE.forEach(
        (value, code) -> {
          assertEquals(value, code.value(), code.name());
          assertSame(code, Code.fromValue(value), "fromValue(" + value + ")");
        });
  }

  @Test
  void thereAreNoCodesBeyondTheSpecTable() {
    assertEquals(CODE_TABLE.size(), Code.values().length, Arrays.toString(Code.values()));
  }

  @ParameterizedTest
  @EnumSource(Code.class)
  void everyCodeHasAReason(Code code) {
    assertFalse(code.reason().isBlank());
  }

  /** Documented in Code: a code this version does not know maps to INTERNAL rather than to null. */
  @Test
  void fromValueOfAnUnknownCodeIsInternal() {
    assertSame(Code.INTERNAL, Code.fromValue(999));
  }

  static JsonObject body(String json) throws MalformedBodyException {
    return BodyParser.parse(Buffer.buffer(json));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"a", "alice", "A_b.c:d@e-f", "0123456789", "user@example.com", "-", "..", ":@"})
  void validUidsAreAccepted(String uid) throws MalformedBodyException {
    assertTrue(Fields.isUid(uid));
    assertEquals(uid, Fields.uid(new JsonObject().put("uid", uid), "uid"));
  }

  @Test
  void uidOf64CharsIsAcceptedAnd65Rejected() throws MalformedBodyException {
    String uid64 = "u".repeat(64);

    assertEquals(uid64, Fields.uid(new JsonObject().put("uid", uid64), "uid"));
    assertFalse(Fields.isUid(uid64 + "u"));
    assertThrows(
        MalformedBodyException.class,
        () -> Fields.uid(new JsonObject().put("uid", uid64 + "u"), "uid"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", " ", "ali ce", "alice ", "alice\n", "a/b", "a+b", "a#b", "a,b", "a\"b", "é", "ユーザー",
        "ａｌｉｃｅ", "١٢٣", "a\u0000"
      })
  void invalidUidsAreRejected(String uid) {
    assertFalse(Fields.isUid(uid));
    MalformedBodyException e =
        assertThrows(
            MalformedBodyException.class,
            () -> Fields.uid(new JsonObject().put("to_uid", uid), "to_uid"));
    assertTrue(e.getMessage().contains("to_uid"), e.getMessage());
  }

  @Test
  void uidThatIsNotAStringIsRejected() {
    assertThrows(MalformedBodyException.class, () -> Fields.uid(body("{\"uid\":12345}"), "uid"));
    assertThrows(MalformedBodyException.class, () -> Fields.uid(body("{\"uid\":[\"a\"]}"), "uid"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "101", "65535"})
  void appcodeFrom1To65535IsAccepted(String json) throws MalformedBodyException {
    assertEquals(
        Integer.parseInt(json), Fields.appcode(body("{\"appcode\":" + json + "}"), "appcode"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "-1",
        "65536",
        "4294967297",
        "99999999999999999999",
        "1.5",
        "\"101\"",
        "true",
        "null",
        "[1]",
        "{}"
      })
  void appcodeOutsideTheRangeOrNotAnIntegerIsRejected(String json) {
    MalformedBodyException e =
        assertThrows(
            MalformedBodyException.class,
            () -> Fields.appcode(body("{\"from_appcode\":" + json + "}"), "from_appcode"));
    assertTrue(e.getMessage().contains("from_appcode"), e.getMessage());
  }

  @Test
  void missingFieldIsRejectedNamingTheField() {
    JsonObject empty = new JsonObject();

    assertNamesField("uid", () -> Fields.uid(empty, "uid"));
    assertNamesField("to_appcode", () -> Fields.appcode(empty, "to_appcode"));
    assertNamesField("content", () -> Fields.string(empty, "content"));
    assertNamesField("msgtype", () -> Fields.integer(empty, "msgtype"));
  }

  @Test
  void mistypedFieldIsRejectedNamingTheField() {
    assertNamesField("content", () -> Fields.string(new JsonObject().put("content", 1), "content"));
    assertNamesField(
        "msgtype", () -> Fields.integer(new JsonObject().put("msgtype", "1"), "msgtype"));
  }

  static void assertNamesField(String field, Executable read) {
    MalformedBodyException e = assertThrows(MalformedBodyException.class, read);
    assertTrue(
        e.getMessage().contains(field), "message should name " + field + ": " + e.getMessage());
  }
}
