package io.courier.gate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.courier.config.Apps;
import io.courier.testkit.TestNode;
import io.courier.testkit.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Speaks protocol v1 (the specification is {@code docs/protocol.md}) to a real gate as raw bytes
 * through a plain {@link Socket}. It deliberately uses none of {@code io.courier.protocol} or
 * {@code io.courier.client}: the tiny encoder and decoder below are written from the spec, so the
 * server's codec cannot drift from the document without this test noticing.
 *
 * <p>Waiting is always bounded by the socket read timeout and decided by what arrives (a frame, or
 * EOF), never by sleeping and hoping.
 */
class GateInteropTest {
  static final int LOGIN = 0x0001;
  private static final int LOGOUT = 0x0002;
  static final int PING = 0x0003;
  static final int C2C = 0x0011;
  private static final int PUSH_ACK = 0x8020;
  static final int KICK = 0x0040;
  static final int ERROR = 0x00FF;
  static final int RESPONSE = 0x8000;

  /** A cmd that protocol v1 does not define. */
  private static final int UNDEFINED_CMD = 0x0999;

  private static final int DEFAULT_MAX_BODY = 65536;
  private static final int DEFAULT_HEARTBEAT_SECONDS = 30;
  private static final int MAX_DEPTH = 32;

  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  private static final AtomicInteger UIDS = new AtomicInteger();

  static Vertx vertx;
  static TestNode node;
  static Tokens tokens;

  @BeforeAll
  static void startNode() {
    vertx = Vertx.vertx();
    node = TestNode.start(vertx);
    tokens = new Tokens(vertx);
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.stop();
    }
    vertx.close().await();
  }

  /**
   * The link this test speaks through: TCP to the gate port. {@link WebSocketGateInteropTest} runs
   * every case again over the WebSocket gate.
   */
  PeerLink open(TestNode target) throws IOException {
    return PeerLink.tcp(target.gatePort());
  }

  /**
   * Whether the link is a byte stream, where the gate reassembles frames however they are split; a
   * WebSocket gate instead refuses a frame that is not alone in its message.
   */
  boolean byteStream() {
    return true;
  }

  RawPeer connect(TestNode target) throws IOException {
    return new RawPeer(open(target));
  }

  @Test
  void loginResponseHasTheExactHeaderAndBody() throws IOException {
    String uid = uid();
    long seq = 0xFEDCBA98L; // high bit set: seq is unsigned
    try (RawPeer peer = connect(node)) {
      long before = System.currentTimeMillis();
      // device_id is optional and x_future is unknown: both must be accepted (forward
      // compatibility)
      peer.send(
          LOGIN,
          seq,
          loginBody(uid, 101, tokens.valid(uid, 101)).put("device_id", "dev-1").put("x_future", 7));
      Frame response = peer.read();
      long after = System.currentTimeMillis();

      byte[] expectedHeader =
          ByteBuffer.allocate(RawPeer.HEADER_LENGTH)
              .put((byte) 0x43)
              .put((byte) 0x52) // "CR"
              .put((byte) 1) // version
              .put((byte) 0) // flags
              .putShort((short) 0x8001) // LOGIN | 0x8000
              .putShort((short) 0) // reserved
              .putInt((int) seq)
              .putInt(response.rawBody().length)
              .array();
      assertArrayEquals(
          expectedHeader, response.header(), () -> "LOGIN response header " + response);
      assertTrue(response.rawBody().length > 0, "LOGIN response must have a body");

      JsonObject body = response.body();
      assertEquals(0, code(body), () -> "LOGIN response " + body);
      assertInstanceOf(
          String.class, body.getValue("session"), () -> "session must be a string: " + body);
      assertFalse(body.getString("session").isEmpty(), "session must not be empty");
      assertEquals(DEFAULT_HEARTBEAT_SECONDS, integer(body, "heartbeat"));
      long serverTime = integer(body, "server_time");
      assertTrue(
          serverTime >= before - 1000 && serverTime <= after + 1000,
          () -> "server_time " + serverTime + " is not ms since the epoch around " + before);

      peer.ping(1); // the length above was exact: the next frame parses from the right offset
    }
  }

  @Test
  void pingBeforeLoginIsAnsweredWithAnEmptyOrObjectBody() throws IOException {
    try (RawPeer peer = connect(node)) {
      long before = System.currentTimeMillis();
      peer.sendRaw(PING, 0xFFFFFFFFL, new byte[0]); // length 0 = "{}"; the largest unsigned seq
      JsonObject body = peer.expect(PING | RESPONSE, 0xFFFFFFFFL).body();
      assertEquals(0, code(body));
      long serverTime = integer(body, "server_time");
      assertTrue(
          serverTime >= before - 1000 && serverTime <= System.currentTimeMillis() + 1000,
          () -> "server_time " + serverTime);

      peer.send(PING, 0, new JsonObject());
      assertEquals(0, code(peer.expect(PING | RESPONSE, 0).body()));
    }
  }

  @TestFactory
  Stream<DynamicTest> badMagicIsAnsweredWithError400Seq0AndClosed() {
    // Only the two magic bytes are sent: the server must not wait for a whole header to reject
    // them.
    return Stream.of("GE", "CX", "RC")
        .map(
            magic ->
                DynamicTest.dynamicTest(
                    "magic " + magic,
                    () -> {
                      try (RawPeer peer = connect(node)) {
                        peer.write(magic.getBytes(UTF_8));
                        Frame error = peer.expect(ERROR, 0);
                        assertEquals(400, code(error.body()));
                        assertMsg(error.body());
                        peer.expectClosed();
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> unsupportedVersionIsAnsweredWithError426AndClosed() {
    return Stream.of(0, 2, 255)
        .map(
            version ->
                DynamicTest.dynamicTest(
                    "version " + version,
                    () -> {
                      try (RawPeer peer = connect(node)) {
                        peer.write(RawPeer.header(0x4352, version, 0, PING, 0, 77, 0));
                        Frame error = peer.expect(ERROR, 77);
                        assertEquals(426, code(error.body()));
                        assertMsg(error.body());
                        peer.expectClosed();
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> nonZeroFlagsAreAnsweredWithError400AndClosed() {
    return Stream.of(0x01, 0x80, 0xFF)
        .map(
            flags ->
                DynamicTest.dynamicTest(
                    String.format("flags 0x%02x", flags),
                    () -> {
                      try (RawPeer peer = connect(node)) {
                        peer.write(RawPeer.header(0x4352, 1, flags, PING, 0, 78, 0));
                        Frame error = peer.expect(ERROR, 78);
                        assertEquals(400, code(error.body()));
                        assertMsg(error.body());
                        peer.expectClosed();
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> oversizedBodyIsRejectedWith413WithoutReadingTheBody() {
    // Only the header is sent: if the server waited for the body, the read timeout would fail the
    // test.
    // 0x80000000 catches a length read as a signed int.
    return Stream.of(0xFFFFFFFFL, 0x80000000L, DEFAULT_MAX_BODY + 1L)
        .map(
            length ->
                DynamicTest.dynamicTest(
                    "length " + Long.toUnsignedString(length),
                    () -> {
                      try (RawPeer peer = connect(node)) {
                        peer.write(RawPeer.header(0x4352, 1, 0, PING, 0, 79, length));
                        Frame error = peer.expect(ERROR, 79);
                        assertEquals(413, code(error.body()));
                        assertMsg(error.body());
                        peer.expectClosed();
                      }
                    }));
  }

  @Test
  void bodyOfExactlyTheMaximumLengthIsAccepted() throws IOException {
    try (RawPeer peer = connect(node)) {
      peer.sendRaw(PING, 80, paddedObject(DEFAULT_MAX_BODY));
      assertEquals(0, code(peer.expect(PING | RESPONSE, 80).body()));
    }
  }

  @Test
  void configuredMaximumBodyLengthIsEnforced() throws IOException {
    TestNode small =
        TestNode.start(
            vertx, new JsonObject().put("gate", new JsonObject().put("maxBodyBytes", 1024)));
    try {
      try (RawPeer peer = connect(small)) {
        peer.sendRaw(PING, 81, paddedObject(1024));
        assertEquals(0, code(peer.expect(PING | RESPONSE, 81).body()));
        peer.write(RawPeer.header(0x4352, 1, 0, PING, 0, 82, 1025));
        assertEquals(413, code(peer.expect(ERROR, 82).body()));
        peer.expectClosed();
      }
    } finally {
      small.stop();
    }
  }

  @TestFactory
  Stream<DynamicTest> malformedBodyGetsTheCommandResponse400AndKeepsTheConnection() {
    return malformedBodies(new JsonObject()).entrySet().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.getKey(),
                    () -> {
                      try (RawPeer peer = connect(node)) {
                        peer.sendRaw(PING, 90, c.getValue());
                        JsonObject body = peer.expect(PING | RESPONSE, 90).body();
                        assertEquals(
                            400, code(body), () -> "PING with " + c.getKey() + ": " + body);
                        assertMsg(body);
                        peer.ping(91);
                      }
                    }));
  }

  @Test
  void nestingOf32LevelsIsAccepted() throws IOException {
    String uid = uid();
    try (RawPeer peer = connect(node)) {
      peer.sendRaw(PING, 92, withField(new JsonObject(), nestedObjects(MAX_DEPTH - 1)));
      assertEquals(0, code(peer.expect(PING | RESPONSE, 92).body()), "32 levels of objects");
      peer.sendRaw(PING, 93, withField(new JsonObject(), nestedArrays(MAX_DEPTH - 1)));
      assertEquals(0, code(peer.expect(PING | RESPONSE, 93).body()), "an object holding 31 arrays");
      // brackets inside strings, escaped quotes included, are not nesting
      peer.send(PING, 94, new JsonObject().put("s", "\"{[".repeat(100)));
      assertEquals(0, code(peer.expect(PING | RESPONSE, 94).body()), "brackets inside a string");
      peer.sendRaw(
          LOGIN,
          95,
          withField(loginBody(uid, 101, tokens.valid(uid, 101)), nestedObjects(MAX_DEPTH - 1)));
      assertEquals(0, code(peer.expect(LOGIN | RESPONSE, 95).body()), "LOGIN with 32 levels");
    }
  }

  @TestFactory
  Stream<DynamicTest> malformedLoginBodyBeforeLoginGets400AndKeepsTheConnection() {
    String badUid = uid();
    JsonObject valid = loginBody(badUid, 101, tokens.valid(badUid, 101));
    return malformedBodies(valid).entrySet().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.getKey(),
                    () -> {
                      String uid = uid();
                      try (RawPeer peer = connect(node)) {
                        peer.sendRaw(LOGIN, 95, c.getValue());
                        JsonObject body = peer.expect(LOGIN | RESPONSE, 95).body();
                        assertEquals(
                            400, code(body), () -> "LOGIN with " + c.getKey() + ": " + body);
                        assertMsg(body);
                        peer.ping(96);
                        // not logged in by the rejected body: a LOGIN now succeeds rather than
                        // getting 409
                        peer.login(uid, 101, tokens.valid(uid, 101));
                        peer.ping(97);
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> commandOtherThanLoginOrPingBeforeLoginGetsError440AndClose() {
    Map<String, Integer> cases = new LinkedHashMap<>();
    cases.put("C2C", C2C);
    cases.put("LOGOUT", LOGOUT);
    cases.put("undefined cmd 0x0999", UNDEFINED_CMD);
    cases.put("PUSH ack 0x8020", PUSH_ACK);
    JsonObject c2c =
        new JsonObject()
            .put("to_uid", "someone")
            .put("to_appcode", 101)
            .put("cmid", "m1")
            .put("msgtype", 1)
            .put("content", "hi");
    return cases.entrySet().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.getKey(),
                    () -> {
                      try (RawPeer peer = connect(node)) {
                        peer.send(
                            c.getValue(),
                            0xABCD0001L,
                            c.getValue() == C2C ? c2c : new JsonObject());
                        Frame error = peer.expect(ERROR, 0xABCD0001L);
                        assertEquals(440, code(error.body()));
                        assertMsg(error.body());
                        peer.expectClosed();
                      }
                    }));
  }

  @Test
  void loginAcceptsAUidOf64CharsOfEveryAllowedClass() throws IOException {
    String uid = uid() + "_.:@-AZaz09";
    uid = uid + "x".repeat(64 - uid.length());
    assertEquals(64, uid.length());
    try (RawPeer peer = connect(node)) {
      peer.login(uid, 101, tokens.valid(uid, 101));
      peer.ping(2);
    }
  }

  @TestFactory
  Stream<DynamicTest> loginWithRejectedTokenGets401AndClose() {
    record Attempt(int appcode, String token) {}
    Map<String, Function<String, Attempt>> cases = new LinkedHashMap<>();
    cases.put(
        "bad signature",
        uid ->
            new Attempt(
                101,
                tokens.sign(
                    "not-the-secret-of-this-appcode-0123456789",
                    new JsonObject().put("appcode", 101),
                    uid,
                    3600)));
    cases.put("sub is another uid", uid -> new Attempt(101, tokens.valid(uid + "x", 101)));
    cases.put("appcode claim differs", uid -> new Attempt(101, tokens.valid(uid, 102)));
    cases.put("expired", uid -> new Attempt(101, tokens.expired(uid, 101, 600)));
    cases.put(
        "unknown appcode 999",
        uid ->
            new Attempt(
                999,
                tokens.sign(Apps.DEV_SECRET, new JsonObject().put("appcode", 999), uid, 3600)));
    cases.put(
        "no exp claim",
        uid ->
            new Attempt(
                101, tokens.sign(Apps.DEV_SECRET, new JsonObject().put("appcode", 101), uid, 0)));
    cases.put("not a JWT", uid -> new Attempt(101, "not-a-jwt"));
    cases.put("alg none", uid -> new Attempt(101, unsignedToken(uid, 101)));
    return cases.entrySet().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.getKey(),
                    () -> {
                      String uid = uid();
                      Attempt attempt = c.getValue().apply(uid);
                      try (RawPeer peer = connect(node)) {
                        peer.send(LOGIN, 100, loginBody(uid, attempt.appcode(), attempt.token()));
                        JsonObject body = peer.expect(LOGIN | RESPONSE, 100).body();
                        assertEquals(401, code(body), () -> c.getKey() + ": " + body);
                        assertMsg(body);
                        peer.expectClosed();
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> loginWithMissingOrMistypedFieldGets400AndKeepsTheConnection() {
    Map<String, Function<String, JsonObject>> cases = new LinkedHashMap<>();
    cases.put("no uid", uid -> loginBody(uid, 101, tokens.valid(uid, 101)).put("uid", null));
    cases.put(
        "uid absent",
        uid -> {
          JsonObject b = loginBody(uid, 101, tokens.valid(uid, 101));
          b.remove("uid");
          return b;
        });
    cases.put("uid a number", uid -> loginBody(uid, 101, tokens.valid(uid, 101)).put("uid", 42));
    cases.put("uid empty", uid -> loginBody(uid, 101, tokens.valid("", 101)).put("uid", ""));
    cases.put("uid with a space", uid -> loginBody(uid + " x", 101, tokens.valid(uid + " x", 101)));
    cases.put(
        "uid of 65 chars",
        uid -> {
          String longUid = uid + "x".repeat(65 - uid.length());
          return loginBody(longUid, 101, tokens.valid(longUid, 101));
        });
    cases.put(
        "appcode absent",
        uid -> {
          JsonObject b = loginBody(uid, 101, tokens.valid(uid, 101));
          b.remove("appcode");
          return b;
        });
    cases.put(
        "appcode a string",
        uid -> loginBody(uid, 101, tokens.valid(uid, 101)).put("appcode", "101"));
    cases.put(
        "appcode a fraction",
        uid -> loginBody(uid, 101, tokens.valid(uid, 101)).put("appcode", 101.5));
    cases.put("appcode 0", uid -> loginBody(uid, 0, tokens.valid(uid, 0)));
    cases.put("appcode 65536", uid -> loginBody(uid, 65536, tokens.valid(uid, 65536)));
    cases.put(
        "token absent",
        uid -> {
          JsonObject b = loginBody(uid, 101, "x");
          b.remove("token");
          return b;
        });
    cases.put("token null", uid -> loginBody(uid, 101, "x").put("token", null));
    cases.put("token a number", uid -> loginBody(uid, 101, "x").put("token", 12345));
    cases.put("token an object", uid -> loginBody(uid, 101, "x").put("token", new JsonObject()));
    cases.put("empty body", uid -> new JsonObject());
    return cases.entrySet().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.getKey(),
                    () -> {
                      String uid = uid();
                      try (RawPeer peer = connect(node)) {
                        peer.send(LOGIN, 101, c.getValue().apply(uid));
                        JsonObject body = peer.expect(LOGIN | RESPONSE, 101).body();
                        assertEquals(400, code(body), () -> c.getKey() + ": " + body);
                        assertMsg(body);
                        peer.ping(102);
                        peer.login(uid, 101, tokens.valid(uid, 101));
                        peer.ping(103);
                      }
                    }));
  }

  @Test
  void secondLoginOnALoggedInConnectionGets409AndChangesNothing() throws IOException {
    String uid = uid();
    String other = uid();
    try (RawPeer peer = connect(node)) {
      peer.login(uid, 101, tokens.valid(uid, 101));
      peer.send(LOGIN, 110, loginBody(uid, 101, tokens.valid(uid, 101)));
      JsonObject same = peer.expect(LOGIN | RESPONSE, 110).body();
      assertEquals(409, code(same), () -> "same identity: " + same);
      assertMsg(same);
      peer.send(LOGIN, 111, loginBody(other, 102, tokens.valid(other, 102)));
      JsonObject different = peer.expect(LOGIN | RESPONSE, 111).body();
      assertEquals(409, code(different), () -> "another identity: " + different);
      peer.ping(112);
      // still logged in: an undefined cmd is 460 (open), not 440 (closed)
      peer.send(UNDEFINED_CMD, 113, new JsonObject());
      assertEquals(460, code(peer.expect(ERROR, 113).body()));
      peer.ping(114);
    }
  }

  @TestFactory
  Stream<DynamicTest> undefinedCmdAfterLoginGetsError460AndKeepsTheConnection() {
    // KICK is defined, but only server to client: from a client it is as unknown as 0x0999.
    return Stream.of(UNDEFINED_CMD, KICK, 0xFFFF)
        .map(
            cmd ->
                DynamicTest.dynamicTest(
                    String.format("cmd 0x%04x", cmd),
                    () -> {
                      String uid = uid();
                      try (RawPeer peer = connect(node)) {
                        peer.login(uid, 101, tokens.valid(uid, 101));
                        peer.send(cmd, 0x80000001L, new JsonObject());
                        Frame error = peer.expect(ERROR, 0x80000001L);
                        assertEquals(460, code(error.body()));
                        assertMsg(error.body());
                        peer.ping(120);
                      }
                    }));
  }

  @Test
  void newerLoginOfTheSameUidAndAppcodeKicksTheOlderConnection() throws IOException {
    String uid = uid();
    try (RawPeer older = connect(node);
        RawPeer otherApp = connect(node);
        RawPeer newer = connect(node)) {
      String olderSession = older.login(uid, 101, tokens.valid(uid, 101)).getString("session");
      otherApp.login(uid, 102, tokens.valid(uid, 102));
      String newerSession = newer.login(uid, 101, tokens.valid(uid, 101)).getString("session");
      assertNotEquals(olderSession, newerSession);

      Frame kick = older.read();
      assertEquals(hex(KICK), hex(kick.cmd()), () -> "older connection expected KICK, got " + kick);
      assertEquals(4001, code(kick.body()));
      assertEquals("replaced", kick.body().getValue("msg"));
      older.expectClosed();

      newer.ping(130);
      otherApp.ping(131); // another appcode of the same uid is not replaced
    }
  }

  @Test
  void sameUidWithTwoAppcodesStaysOnlineOnBoth() throws IOException {
    String uid = uid();
    try (RawPeer first = connect(node);
        RawPeer second = connect(node)) {
      first.login(uid, 101, tokens.valid(uid, 101));
      second.login(uid, 201, tokens.valid(uid, 201));
      // the next frame on each is its PING response, not a KICK
      first.ping(140);
      second.ping(141);
      first.ping(142);
    }
  }

  @Test
  void logoutIsAnsweredAndThenTheServerCloses() throws IOException {
    for (byte[] body : List.of("{}".getBytes(UTF_8), new byte[0])) {
      String uid = uid();
      try (RawPeer peer = connect(node)) {
        peer.login(uid, 101, tokens.valid(uid, 101));
        peer.sendRaw(LOGOUT, 150, body);
        assertEquals(0, code(peer.expect(LOGOUT | RESPONSE, 150).body()));
        peer.expectClosed();
      }
    }
  }

  @Test
  void connectionThatNeverLogsInIsClosedAfterTheLoginTimeout() throws IOException {
    TestNode quick =
        TestNode.start(
            vertx, new JsonObject().put("gate", new JsonObject().put("loginTimeoutMs", 300)));
    try {
      try (RawPeer silent = connect(quick)) {
        long start = System.nanoTime();
        silent.expectClosed();
        long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(
            elapsedMs >= 250,
            () -> "closed after " + elapsedMs + " ms, before the 300 ms login timeout");
      }
      // PING before login does not extend the login deadline
      try (RawPeer pinging = connect(quick)) {
        long seq = 1;
        while (true) {
          pinging.sendQuietly(PING, seq, new JsonObject());
          Frame frame = pinging.readOrNullAtEof();
          if (frame == null) {
            break;
          }
          assertEquals(
              hex(PING | RESPONSE), hex(frame.cmd()), () -> "expected PING response, got " + frame);
          assertTrue(seq < 100, "pinging without login kept the connection open past 100 pings");
          seq++;
          pause(50);
        }
      }
      // a connection that logged in in time outlives the login deadline
      String uid = uid();
      try (RawPeer loggedIn = connect(quick)) {
        loggedIn.login(uid, 101, tokens.valid(uid, 101));
        for (int i = 0; i < 4; i++) {
          pause(200);
          loggedIn.ping(160 + i);
        }
      }
    } finally {
      quick.stop();
    }
  }

  @Test
  void silentLoggedInConnectionIsKickedWith4003AfterThreeHeartbeats() throws IOException {
    TestNode quick =
        TestNode.start(
            vertx, new JsonObject().put("gate", new JsonObject().put("heartbeatSeconds", 1)));
    try (RawPeer silent = connect(quick)) {
      String uid = uid();
      assertEquals(1, integer(silent.login(uid, 101, tokens.valid(uid, 101)), "heartbeat"));
      long start = System.nanoTime();
      silent.timeout(Duration.ofSeconds(8));
      Frame kick = silent.read();
      long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertEquals(hex(KICK), hex(kick.cmd()), () -> "expected KICK, got " + kick);
      assertEquals(4003, code(kick.body()));
      assertMsg(kick.body());
      assertTrue(
          elapsedMs >= 2500, () -> "kicked after " + elapsedMs + " ms, before 3 heartbeats of 1 s");
      silent.expectClosed();
    } finally {
      quick.stop();
    }
  }

  @Test
  void connectionPingingEvery500MsStaysOpenPastTheIdleLimit() throws IOException {
    TestNode quick =
        TestNode.start(
            vertx, new JsonObject().put("gate", new JsonObject().put("heartbeatSeconds", 1)));
    try (RawPeer pinging = connect(quick)) {
      String uid = uid();
      pinging.login(uid, 101, tokens.valid(uid, 101));
      long start = System.nanoTime();
      long seq = 170;
      // each ping's answer is the next frame: a KICK in between fails here
      while (Duration.ofNanos(System.nanoTime() - start).toMillis() < 4500) {
        pause(500);
        pinging.ping(seq++);
      }
      assertTrue(seq - 170 >= 8, "pinged for 4.5 s");
    } finally {
      quick.stop();
    }
  }

  @Test
  void framesSplitIntoSingleBytesAreReassembled() throws IOException {
    assumeTrue(byteStream(), "frames are split only on a byte stream");
    String uid = uid();
    try (RawPeer peer = connect(node)) {
      peer.writeByteByByte(RawPeer.frame(LOGIN, 180, loginBody(uid, 101, tokens.valid(uid, 101))));
      assertEquals(0, code(peer.expect(LOGIN | RESPONSE, 180).body()));

      peer.writeByteByByte(RawPeer.frame(PING, 181, new JsonObject().put("pad", "ü€𝄞")));
      assertEquals(0, code(peer.expect(PING | RESPONSE, 181).body()));

      // a whole frame plus a piece of the next header in one write, then the rest
      byte[] first = RawPeer.frame(PING, 182, new JsonObject());
      byte[] second = RawPeer.frame(PING, 183, new JsonObject());
      ByteArrayOutputStream chunk = new ByteArrayOutputStream();
      chunk.write(first);
      chunk.write(second, 0, 7);
      peer.write(chunk.toByteArray());
      assertEquals(0, code(peer.expect(PING | RESPONSE, 182).body()));
      peer.write(Arrays.copyOfRange(second, 7, second.length));
      assertEquals(0, code(peer.expect(PING | RESPONSE, 183).body()));
    }
  }

  @Test
  void framesCoalescedInOneWriteAreAnsweredInOrder() throws IOException {
    assumeTrue(byteStream(), "frames are coalesced only on a byte stream");
    String uid = uid();
    try (RawPeer peer = connect(node)) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.write(RawPeer.frame(LOGIN, 190, loginBody(uid, 101, tokens.valid(uid, 101))));
      all.write(RawPeer.frame(PING, 191, new JsonObject()));
      all.write(RawPeer.frame(PING, 192, new JsonObject()));
      peer.write(all.toByteArray());
      assertEquals(0, code(peer.expect(LOGIN | RESPONSE, 190).body()));
      assertEquals(0, code(peer.expect(PING | RESPONSE, 191).body()));
      assertEquals(0, code(peer.expect(PING | RESPONSE, 192).body()));

      ByteArrayOutputStream pings = new ByteArrayOutputStream();
      for (int seq = 193; seq < 213; seq++) {
        pings.write(RawPeer.frame(PING, seq, new JsonObject()));
      }
      peer.write(pings.toByteArray());
      for (int seq = 193; seq < 213; seq++) {
        assertEquals(0, code(peer.expect(PING | RESPONSE, seq).body()));
      }
    }
  }

  static String uid() {
    return "gi-" + RUN + "-" + UIDS.incrementAndGet();
  }

  static JsonObject loginBody(String uid, int appcode, String token) {
    return new JsonObject().put("uid", uid).put("appcode", appcode).put("token", token);
  }

  /**
   * Bodies that break the body rules (docs/protocol.md section 6.1), each in a way a real client
   * could. Where the break is inside an object, the object otherwise holds {@code valid}'s fields,
   * so that the break alone must cause the 400.
   */
  private static Map<String, byte[]> malformedBodies(JsonObject valid) {
    String text = valid.encode();
    Map<String, byte[]> bodies = new LinkedHashMap<>();
    bodies.put("not JSON", "hello".getBytes(UTF_8));
    bodies.put("truncated JSON", text.substring(0, text.length() - 1).getBytes(UTF_8));
    bodies.put("trailing garbage", (text + " x").getBytes(UTF_8));
    bodies.put("two objects", (text + text).getBytes(UTF_8));
    bodies.put("an array", ("[" + text + "]").getBytes(UTF_8));
    bodies.put("a string", "\"x\"".getBytes(UTF_8));
    bodies.put("a number", "42".getBytes(UTF_8));
    bodies.put("null", "null".getBytes(UTF_8));
    bodies.put("whitespace only", "   ".getBytes(UTF_8));
    bodies.put("invalid UTF-8 byte 0xFF", withField(valid, quoted(new byte[] {(byte) 0xFF})));
    bodies.put(
        "overlong UTF-8 for '/'", withField(valid, quoted(new byte[] {(byte) 0xC0, (byte) 0xAF})));
    bodies.put(
        "UTF-8 encoded lone surrogate",
        withField(valid, quoted(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})));
    bodies.put("truncated UTF-8 sequence", withField(valid, quoted(new byte[] {(byte) 0xC3})));
    bodies.put("33 levels of objects", withField(valid, nestedObjects(MAX_DEPTH)));
    bodies.put("33 levels: an object holding 32 arrays", withField(valid, nestedArrays(MAX_DEPTH)));
    return bodies;
  }

  /**
   * {@code valid} with one more field {@code "x"} whose value is the raw JSON bytes {@code value}.
   */
  private static byte[] withField(JsonObject valid, byte[] value) {
    String text = valid.encode();
    String head = text.substring(0, text.length() - 1) + (valid.isEmpty() ? "" : ",") + "\"x\":";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(UTF_8));
    out.writeBytes(value);
    out.writeBytes("}".getBytes(UTF_8));
    return out.toByteArray();
  }

  /** A JSON string literal around raw bytes. */
  private static byte[] quoted(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write('"');
    out.writeBytes(raw);
    out.write('"');
    return out.toByteArray();
  }

  /** {@code {"a":{"a":...{}}}}: {@code levels} nested objects. */
  private static byte[] nestedObjects(int levels) {
    return ("{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1)).getBytes(UTF_8);
  }

  /** {@code [[...]]}: {@code levels} nested arrays. */
  private static byte[] nestedArrays(int levels) {
    return ("[".repeat(levels) + "]".repeat(levels)).getBytes(UTF_8);
  }

  /** A JSON object of exactly {@code size} bytes. */
  private static byte[] paddedObject(int size) {
    String shell = "{\"pad\":\"\"}";
    byte[] body = ("{\"pad\":\"" + "a".repeat(size - shell.length()) + "\"}").getBytes(UTF_8);
    assertEquals(size, body.length);
    return body;
  }

  /** A JWT with {@code alg: none} and no signature: a verifier must never accept it. */
  private static String unsignedToken(String uid, int appcode) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header =
        b64.encodeToString(
            new JsonObject().put("alg", "none").put("typ", "JWT").encode().getBytes(UTF_8));
    String claims =
        b64.encodeToString(
            new JsonObject()
                .put("sub", uid)
                .put("appcode", appcode)
                .put("exp", System.currentTimeMillis() / 1000 + 3600)
                .encode()
                .getBytes(UTF_8));
    return header + "." + claims + ".";
  }

  /** The {@code code} field: present in every response, a JSON integer. */
  static int code(JsonObject body) {
    return (int) integer(body, "code");
  }

  private static long integer(JsonObject body, String field) {
    Object value = body.getValue(field);
    assertTrue(
        value instanceof Integer || value instanceof Long,
        () -> field + " must be a JSON integer, got " + value + " in " + body);
    return ((Number) value).longValue();
  }

  static void assertMsg(JsonObject body) {
    assertInstanceOf(
        String.class, body.getValue("msg"), () -> "msg must be a string when code != 0: " + body);
  }

  static String hex(int cmd) {
    return String.format("0x%04X", cmd);
  }

  /** Paces writes; never used to wait for the server. */
  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** One frame as received: its 16 header bytes, decoded fields and body. */
  record Frame(byte[] header, int cmd, long seq, byte[] rawBody, JsonObject body) {
    @Override
    public String toString() {
      return String.format(
          "Frame[header=%s cmd=0x%04X seq=%d body=%s]",
          HexFormat.of().formatHex(header), cmd, seq, body);
    }
  }

  /**
   * A client that knows nothing but the framing of docs/protocol.md (section 3). Every received
   * frame is checked against the header rules (magic "CR", version 1, flags 0, reserved 0) and its
   * body against the body rules.
   *
   * <pre>
   *  0      2    3     4    6         8     12      16
   *  +------+----+-----+----+---------+-----+-------+------...
   *  | "CR" | 01 | 00  | cmd| reserved| seq | length| body (UTF-8 JSON object)
   *  +------+----+-----+----+---------+-----+-------+------...
   * </pre>
   */
  static final class RawPeer implements AutoCloseable {
    static final int HEADER_LENGTH = 16;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    /** Bound on a server frame's announced length, checked before allocating. */
    private static final int MAX_RECEIVED_BODY = 1 << 20;

    private final PeerLink link;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private long loginSeq = 1_000_000;

    RawPeer(PeerLink link) throws IOException {
      this.link = link;
      this.socket = link.socket();
      this.in = new DataInputStream(link.in());
      this.out = link.out();
      socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
    }

    static byte[] header(
        int magic, int version, int flags, int cmd, int reserved, long seq, long length) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER_LENGTH);
      try (DataOutputStream data = new DataOutputStream(bytes)) {
        data.writeShort(magic);
        data.writeByte(version);
        data.writeByte(flags);
        data.writeShort(cmd);
        data.writeShort(reserved);
        data.writeInt((int) seq);
        data.writeInt((int) length);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    static byte[] frame(int cmd, long seq, byte[] body) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER_LENGTH + body.length);
      bytes.writeBytes(header(0x4352, 1, 0, cmd, 0, seq, body.length));
      bytes.writeBytes(body);
      return bytes.toByteArray();
    }

    static byte[] frame(int cmd, long seq, JsonObject body) {
      return frame(cmd, seq, body.encode().getBytes(UTF_8));
    }

    void timeout(Duration timeout) throws SocketException {
      socket.setSoTimeout((int) timeout.toMillis());
    }

    void send(int cmd, long seq, JsonObject body) throws IOException {
      write(frame(cmd, seq, body));
    }

    void sendRaw(int cmd, long seq, byte[] body) throws IOException {
      write(frame(cmd, seq, body));
    }

    /** Sends, ignoring a failure because the server has already closed (read will then see EOF). */
    void sendQuietly(int cmd, long seq, JsonObject body) {
      try {
        send(cmd, seq, body);
      } catch (IOException e) {
        // closed by the server; the next read reports it
      }
    }

    void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    void writeByteByByte(byte[] bytes) throws IOException {
      for (byte b : bytes) {
        out.write(b);
        out.flush();
        pause(
            1); // lets each byte leave in its own segment rather than being coalesced by the kernel
      }
    }

    /** LOGIN, asserting success; returns the response body. */
    JsonObject login(String uid, int appcode, String token) throws IOException {
      long seq = loginSeq++;
      send(LOGIN, seq, loginBody(uid, appcode, token));
      JsonObject body = expect(LOGIN | RESPONSE, seq).body();
      assertEquals(0, code(body), () -> "LOGIN " + uid + "/" + appcode + " failed: " + body);
      return body;
    }

    /** PING, asserting that the next frame is its successful response. */
    void ping(long seq) throws IOException {
      send(PING, seq, new JsonObject());
      JsonObject body = expect(PING | RESPONSE, seq).body();
      assertEquals(0, code(body), () -> "PING: " + body);
      integer(body, "server_time");
    }

    Frame expect(int cmd, long seq) throws IOException {
      Frame frame = read();
      assertEquals(hex(cmd), hex(frame.cmd()), () -> "unexpected frame " + frame);
      assertEquals(seq, frame.seq(), () -> "seq of " + frame);
      return frame;
    }

    Frame read() throws IOException {
      Frame frame = readOrNullAtEof();
      if (frame == null) {
        fail("the server closed the connection where a frame was expected");
      }
      return frame;
    }

    /** The next frame, or null when the server has closed the connection before sending one. */
    Frame readOrNullAtEof() throws IOException {
      byte[] header = new byte[HEADER_LENGTH];
      try {
        int first = in.read();
        if (first == -1) {
          return null;
        }
        header[0] = (byte) first;
        in.readFully(header, 1, HEADER_LENGTH - 1);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no frame within " + socket.getSoTimeout() + " ms", e);
      } catch (SocketException e) {
        if (isReset(e)) {
          return null;
        }
        throw e;
      } catch (EOFException e) {
        throw new AssertionError(
            "the server closed the connection in the middle of a frame header", e);
      }
      ByteBuffer fields = ByteBuffer.wrap(header);
      assertEquals(
          0x4352,
          fields.getShort(0) & 0xFFFF,
          () -> "magic of " + HexFormat.of().formatHex(header));
      assertEquals(1, header[2], () -> "version of " + HexFormat.of().formatHex(header));
      assertEquals(0, header[3], () -> "flags of " + HexFormat.of().formatHex(header));
      assertEquals(0, fields.getShort(6), () -> "reserved of " + HexFormat.of().formatHex(header));
      int cmd = fields.getShort(4) & 0xFFFF;
      long seq = fields.getInt(8) & 0xFFFFFFFFL;
      long length = fields.getInt(12) & 0xFFFFFFFFL;
      assertTrue(length <= MAX_RECEIVED_BODY, () -> "server frame announces " + length + " bytes");
      byte[] raw = new byte[(int) length];
      try {
        in.readFully(raw);
      } catch (EOFException e) {
        throw new AssertionError(
            "the server closed the connection in the middle of a frame body", e);
      } catch (SocketTimeoutException e) {
        throw new AssertionError(
            "frame body of " + length + " bytes incomplete after " + socket.getSoTimeout() + " ms",
            e);
      }
      return new Frame(header, cmd, seq, raw, decodeBody(raw));
    }

    /** Asserts that the server closes the connection (EOF, or a reset) with no further frame. */
    void expectClosed() throws IOException {
      try {
        int next = in.read();
        if (next != -1) {
          byte[] rest = in.readNBytes(Math.min(in.available(), 256));
          fail(
              "expected the server to close, but it sent more bytes: "
                  + HexFormat.of().formatHex(new byte[] {(byte) next})
                  + HexFormat.of().formatHex(rest));
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError(
            "the server did not close the connection within " + socket.getSoTimeout() + " ms", e);
      } catch (SocketException e) {
        if (!isReset(e)) {
          throw e;
        }
      }
    }

    private static boolean isReset(SocketException e) {
      return e.getMessage() != null && e.getMessage().contains("reset");
    }

    private static JsonObject decodeBody(byte[] raw) {
      if (raw.length == 0) {
        return new JsonObject();
      }
      String text;
      try {
        text =
            UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(raw))
                .toString();
      } catch (CharacterCodingException e) {
        throw new AssertionError("server body is not UTF-8: " + HexFormat.of().formatHex(raw), e);
      }
      assertTrue(
          text.stripLeading().startsWith("{"), () -> "server body is not a JSON object: " + text);
      return new JsonObject(text);
    }

    @Override
    public void close() throws IOException {
      link.close();
    }
  }
}
