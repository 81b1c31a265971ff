package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link MessageSeal}: what a seal is good for, and nothing else. */
class MessageSealTest {
  private static final String SECRET = "cluster-secret-0123456789abcdef-xyz";
  private static final String LOGIN = "courier.internal.login";

  private final AtomicLong now = new AtomicLong(1_767_225_600_000L);
  private final MessageSeal seal = new MessageSeal(SECRET, now::get);

  private static JsonObject body() {
    return new JsonObject()
        .put("uid", "alice")
        .put("appcode", 101)
        .put("token", "eyJ…")
        .put("n", 2.5)
        .put("big", 1L << 40)
        .put("text", "é\u4e2d\ud83d\ude00 \"quoted\" \\ \n")
        .put("list", new JsonArray().add(1).addNull().add(new JsonObject().put("x", true)));
  }

  @Test
  void aSealIsGoodForItsMessage() {
    String header = seal.seal(LOGIN, "__vertx.reply.1", body());
    assertEquals(MessageSeal.Verdict.VALID, seal.verify(LOGIN, "__vertx.reply.1", body(), header));
    assertEquals(
        MessageSeal.Verdict.VALID,
        seal.verify(
            "courier.internal.bans-changed",
            null,
            null,
            seal.seal("courier.internal.bans-changed", null, null)));
  }

  /** The receiving node checks the body its codec decoded from the sender's JSON text. */
  @Test
  void aJsonBodyDecodedFromTheWireStillMatches() {
    JsonObject sent = body();
    String header = seal.seal(LOGIN, null, sent);
    JsonObject received = new JsonObject(Buffer.buffer(sent.toBuffer().getBytes()));
    assertEquals(MessageSeal.Verdict.VALID, seal.verify(LOGIN, null, received, header));
    JsonArray array = new JsonArray().add("a").add(1.0e20);
    assertEquals(
        MessageSeal.Verdict.VALID,
        seal.verify(LOGIN, null, new JsonArray(array.toBuffer()), seal.seal(LOGIN, null, array)));
  }

  @Test
  void anotherBodyAddressReplyAddressOrSecretIsForged() {
    String header = seal.seal(LOGIN, "__vertx.reply.1", body());
    assertEquals(
        MessageSeal.Verdict.FORGED,
        seal.verify(LOGIN, "__vertx.reply.1", body().put("uid", "mallory"), header));
    assertEquals(
        MessageSeal.Verdict.FORGED,
        seal.verify("courier.internal.c2c", "__vertx.reply.1", body(), header));
    assertEquals(MessageSeal.Verdict.FORGED, seal.verify(LOGIN, "__vertx.reply.2", body(), header));
    assertEquals(MessageSeal.Verdict.FORGED, seal.verify(LOGIN, null, body(), header));
    assertEquals(
        MessageSeal.Verdict.FORGED,
        seal.verify(LOGIN, "__vertx.reply.1", body().encode(), header),
        "the same text as a string body");
    MessageSeal other = new MessageSeal(SECRET + "!", now::get);
    assertEquals(
        MessageSeal.Verdict.FORGED,
        seal.verify(LOGIN, null, body(), other.seal(LOGIN, null, body())));
  }

  @Test
  void aSealIsGoodForThirtySecondsEitherWay() {
    String header = seal.seal(LOGIN, null, body());
    now.addAndGet(MessageSeal.MAX_SKEW_MS);
    assertEquals(MessageSeal.Verdict.VALID, seal.verify(LOGIN, null, body(), header));
    now.incrementAndGet();
    assertEquals(MessageSeal.Verdict.STALE, seal.verify(LOGIN, null, body(), header));
    now.addAndGet(-2 * MessageSeal.MAX_SKEW_MS - 1);
    assertEquals(MessageSeal.Verdict.VALID, seal.verify(LOGIN, null, body(), header));
    now.decrementAndGet();
    assertEquals(MessageSeal.Verdict.STALE, seal.verify(LOGIN, null, body(), header));
  }

  @Test
  void whatIsNotASealIsSaidSo() {
    assertEquals(MessageSeal.Verdict.MISSING, seal.verify(LOGIN, null, body(), null));
    String good = seal.seal(LOGIN, null, body());
    String[] malformed = {
      "", "1", "1.", "2" + good.substring(1), "1.x." + good.split("\\.")[2], "1.5.!!", "x.y.z"
    };
    for (String header : malformed) {
      assertEquals(MessageSeal.Verdict.MALFORMED, seal.verify(LOGIN, null, body(), header), header);
    }
    String truncated = good.substring(0, good.length() - 2);
    assertNotEquals(MessageSeal.Verdict.VALID, seal.verify(LOGIN, null, body(), truncated));
  }
}
