package io.courier.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.client.cli.CourierCli;
import io.courier.contract.Addresses;
import io.courier.testkit.ClientSide;
import io.courier.testkit.FreePorts;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestSession;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code courier-cli} against a real node, as a newcomer uses it in two terminals: bob listens,
 * alice sends, a business pushes through the TCP bridge; the test reads what each command prints.
 */
class CliEndToEndTest {
  private static final Pattern S2C_REPLY = Pattern.compile("code=0 msgid=(\\d+) status=(\\w+)");
  private static final Pattern C2C_ANSWER = Pattern.compile("code=0 msgid=(\\d+) senddate=\\d+");

  @RegisterExtension final ClientSide side = new ClientSide();

  @Test
  void listenPrintsOfflineMessagesThenPushesFromSendAndS2cUntilKicked() throws Exception {
    TestNode node = TestNode.start(side.vertx());
    BlockingQueue<String> acked = new LinkedBlockingQueue<>();
    side.vertx()
        .eventBus()
        .<JsonObject>consumer(
            Addresses.RECEIPTS,
            receipt -> {
              if ("acked".equals(receipt.body().getString("status"))) {
                acked.add(receipt.body().getString("msgid"));
              }
            })
        .completion()
        .await();

    Run offline = run(Map.of(), s2c(node, "order 41"));
    assertEquals(0, offline.exit, offline.err);
    String offlineMsgid = matched(S2C_REPLY, offline.out, "stored");

    Lines listenOut = new Lines();
    Lines listenErr = new Lines();
    CompletableFuture<Integer> listening =
        CompletableFuture.supplyAsync(
            () ->
                CourierCli.run(
                    new String[] {
                      "listen", "--uid", "bob", "--appcode", "101", "--port", gatePort(node)
                    },
                    Map.of("COURIER_TOKEN", side.tokens().valid("bob", 101)),
                    listenOut.stream(),
                    listenErr.stream()),
            task -> new Thread(task, "cli-listen").start());
    assertEquals(
        "pulled msgid=" + offlineMsgid + " kind=s2c from=- msgtype=7 content=\"order 41\"",
        listenOut.next());
    assertTrue(listenErr.next().startsWith("courier-cli: logged in as bob/101 at 127.0.0.1:"));
    assertEquals(
        "courier-cli: 1 offline message; waiting for messages (Ctrl-C to stop)", listenErr.next());

    Run sent =
        run(
            Map.of(),
            "send",
            "--uid",
            "alice",
            "--appcode",
            "101",
            "--token",
            side.tokens().valid("alice", 101),
            "--port",
            gatePort(node),
            "--to",
            "bob",
            "--to-appcode",
            "101",
            "--text",
            "hi bob");
    assertEquals(0, sent.exit, sent.err);
    Matcher answer = C2C_ANSWER.matcher(sent.out.strip());
    assertTrue(answer.matches(), sent.out);
    String c2cMsgid = answer.group(1);
    assertEquals(
        "push msgid=" + c2cMsgid + " kind=c2c from=alice/101 msgtype=1 content=\"hi bob\"",
        listenOut.next());

    Run pushed = run(Map.of(), s2c(node, "order 42"));
    assertEquals(0, pushed.exit, pushed.err);
    String s2cMsgid = matched(S2C_REPLY, pushed.out, "pushed");
    assertEquals(
        "push msgid=" + s2cMsgid + " kind=s2c from=- msgtype=7 content=\"order 42\"",
        listenOut.next());

    awaitAll(acked, Set.of(c2cMsgid, s2cMsgid));
    TestSession newerBob = TestSession.login(side.client(), node, side.tokens(), "bob", 101);
    assertEquals(1, listening.get(TestSession.WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals("courier-cli: kicked: code=4001 (replaced)", listenErr.next());
    assertTrue(
        newerBob.pull(null, null).getJsonArray("msgs").isEmpty(),
        "the listener removed what it printed: OFFLINE_ACK for the pulled, acks for the pushed");
  }

  @Test
  void failuresExitWithOneAndSayWhy() {
    TestNode node = TestNode.start(side.vertx());

    Run badToken =
        run(
            Map.of("COURIER_TOKEN", side.tokens().valid("mallory", 101)),
            "send",
            "--uid",
            "alice",
            "--appcode",
            "101",
            "--port",
            gatePort(node),
            "--to",
            "bob",
            "--to-appcode",
            "101",
            "--text",
            "hi");
    assertEquals(1, badToken.exit);
    assertTrue(
        badToken.err.contains(
            "courier-cli: login as alice/101 at 127.0.0.1:"
                + gatePort(node)
                + " failed: code=401 (authentication failed)"),
        badToken.err);
    assertEquals("", badToken.out);

    Run unknownApp =
        run(
            Map.of(),
            "s2c",
            "--to",
            "bob",
            "--to-appcode",
            "999",
            "--text",
            "x",
            "--bridge-port",
            bridgePort(node));
    assertEquals(1, unknownApp.exit);
    assertTrue(
        unknownApp.err.startsWith("courier-cli: s2c refused: code=403 (not allowed)"),
        unknownApp.err);

    String nothingThere = String.valueOf(FreePorts.next());
    Run refused =
        run(
            Map.of(),
            "listen",
            "--uid",
            "bob",
            "--appcode",
            "101",
            "--token",
            "T",
            "--port",
            nothingThere);
    assertEquals(1, refused.exit);
    assertTrue(
        refused.err.startsWith("courier-cli: cannot connect to 127.0.0.1:" + nothingThere),
        refused.err);
  }

  private static String[] s2c(TestNode node, String text) {
    return new String[] {
      "s2c",
      "--to",
      "bob",
      "--to-appcode",
      "101",
      "--msgtype",
      "7",
      "--text",
      text,
      "--bridge-port",
      bridgePort(node)
    };
  }

  private static String gatePort(TestNode node) {
    return String.valueOf(node.gatePort());
  }

  private static String bridgePort(TestNode node) {
    return String.valueOf(node.config().getJsonObject("bridge").getInteger("port"));
  }

  /** The msgid of a {@code courier.s2c} reply line, checking its status. */
  private static String matched(Pattern pattern, String out, String status) {
    Matcher matcher = pattern.matcher(out.strip());
    assertTrue(matcher.matches(), out);
    assertEquals(status, matcher.group(2), out);
    return matcher.group(1);
  }

  /** Takes from {@code queue} until every one of {@code expected} has come, within the wait. */
  private static void awaitAll(BlockingQueue<String> queue, Set<String> expected)
      throws InterruptedException {
    Set<String> missing = new HashSet<>(expected);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestSession.WAIT_SECONDS);
    while (!missing.isEmpty()) {
      String next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertNotNull(next, "no acked receipt for " + missing + " within the wait");
      missing.remove(next);
    }
  }

  /** A one-shot command, run to its end. */
  private record Run(int exit, String out, String err) {}

  private static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        CourierCli.run(
            args, env, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
    return new Run(exit, out.toString(UTF_8), err.toString(UTF_8));
  }

  /** The lines a running command prints, one at a time, as they come. */
  private static final class Lines extends OutputStream {
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        lines.add(current.toString(UTF_8));
        current.reset();
      } else {
        current.write(b);
      }
    }

    PrintStream stream() {
      return new PrintStream(this, true, UTF_8);
    }

    /** The next line, waiting at most {@link TestSession#WAIT_SECONDS}. */
    String next() throws InterruptedException {
      String line = lines.poll(TestSession.WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(line, "no line within " + TestSession.WAIT_SECONDS + " s");
      return line;
    }
  }
}
