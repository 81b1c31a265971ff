package io.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageStore} must do, run against each implementation by a subclass that says
 * how to open one.
 */
public abstract class MessageStoreContract {
  /** No store operation may take this long; longer means it hangs. */
  private static final long TIMEOUT_SECONDS = 30;

  private static final long NOW = System.currentTimeMillis();

  protected static Vertx vertx;
  protected MessageStore store;
  private final AtomicLong nextMsgid = new AtomicLong(1_000);

  /**
   * Opens a store on this test's database and completes when it is usable. The database is empty
   * when each test starts, and the same on every call within one test, so that a test can restart
   * the store.
   */
  protected abstract Future<MessageStore> openStore(SqlStoreOptions options);

  protected Future<MessageStore> openStore() {
    return openStore(SqlStoreOptions.defaults());
  }

  /** Closes this test's store and opens it again, on the same data, with {@code options}. */
  protected void reopenWith(SqlStoreOptions options) {
    await(store.close());
    store = await(openStore(options));
  }

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  @BeforeEach
  void openTheStore() {
    store = await(openStore());
  }

  @AfterEach
  void closeTheStore() {
    await(store.close());
  }

  @Test
  void anAcceptedMessageIsPulledWithEveryField() {
    Message message =
        new Message(
            nextMsgid(),
            Kind.C2C,
            "alice",
            101,
            "bob",
            102,
            7,
            "héllo &lt;b&gt; 日本 \uD83D\uDE00 <font size=\"12\">x</font>",
            NOW,
            "log-abc_1");

    assertEquals(
        new MessageStore.Accepted(message.msgid(), message.senddate(), false),
        await(store.acceptC2c(message, "cmid-1")));

    MessageStore.Pulled page = await(store.pull("bob", 102, 0, 50));
    assertEquals(List.of(message), page.messages());
    assertFalse(page.more());
  }

  @Test
  void copiesForOtherTerminalsArePulledEachFromItsOwnInboxAsTheMessageAddressed() {
    // alice (web, 103) writes to bob's Android app (101); bob also has iOS (102), alice Android
    Message message = c2c(nextMsgid(), "alice", 103, "bob", 101);
    Message bobsIos = message.at("bob", 102);
    Message alicesAndroid = message.at("alice", 101);
    Message bobsWeb = message.at("bob", 103);
    await(store.addTerminal("bob", 102, NOW));
    await(store.addTerminal("alice", 101, NOW));

    MessageStore.Accepted accepted =
        await(store.acceptC2c(message, "cmid-1", List.of(bobsIos, bobsWeb, alicesAndroid)));

    assertEquals(
        Set.of(bobsIos, alicesAndroid),
        Set.copyOf(accepted.copies()),
        "only the terminals recorded: bob never logged in on the web");
    assertEquals(List.of(), await(store.pull("bob", 103, 0, 50)).messages());

    assertEquals(List.of(message), await(store.pull("bob", 101, 0, 50)).messages());
    Message onIos = await(store.pull("bob", 102, 0, 50)).messages().get(0);
    assertEquals(bobsIos, onIos);
    assertEquals("bob", onIos.toUid());
    assertEquals(101, onIos.toAppcode(), "the copy says which terminal was addressed");
    assertFalse(onIos.sync());
    Message onAndroid = await(store.pull("alice", 101, 0, 50)).messages().get(0);
    assertEquals(alicesAndroid, onAndroid);
    assertTrue(onAndroid.sync(), "the sender's other terminal gets a sync copy");
    assertEquals("bob", onAndroid.toUid());
    assertEquals(List.of(), await(store.pull("alice", 103, 0, 50)).messages());

    assertTrue(await(store.removeOffline("bob", 102, message.msgid())));
    assertEquals(1, await(store.removeOfflineUpTo("alice", 101, message.msgid())));
    assertEquals(List.of(message), await(store.pull("bob", 101, 0, 50)).messages());
    assertEquals(
        List.of(message), await(store.history("bob", "alice", Long.MAX_VALUE, 50)).messages());
  }

  @Test
  void aResendStoresNoSecondCopy() {
    await(store.addTerminal("bob", 102, NOW));
    Message message = c2c(nextMsgid(), "alice", 101, "bob", 101);
    await(store.acceptC2c(message, "cmid-1", List.of(message.at("bob", 102))));
    assertTrue(await(store.removeOffline("bob", 102, message.msgid())));

    Message resend = c2c(nextMsgid(), "alice", 101, "bob", 101);
    MessageStore.Accepted again =
        await(store.acceptC2c(resend, "cmid-1", List.of(resend.at("bob", 102))));

    assertTrue(again.duplicate());
    assertEquals(List.of(), again.copies());
    assertEquals(List.of(), await(store.pull("bob", 102, 0, 50)).messages());
  }

  @Test
  void aTerminalAtItsCapMissesTheCopyButTheMessageIsAccepted() {
    reopenWith(SqlStoreOptions.defaults().withQuotas(1, Duration.ZERO, Duration.ZERO));
    await(store.addTerminal("bob", 102, NOW));
    Message first = c2c(nextMsgid(), "carol", 101, "bob", 102);
    await(store.acceptC2c(first, "cmid-0"));
    Message message = c2c(nextMsgid(), "alice", 101, "bob", 101);

    MessageStore.Accepted accepted =
        await(store.acceptC2c(message, "cmid-1", List.of(message.at("bob", 102))));

    assertFalse(accepted.duplicate());
    assertEquals(List.of(message), await(store.pull("bob", 101, 0, 50)).messages());
    assertEquals(List.of(first), await(store.pull("bob", 102, 0, 50)).messages());
  }

  @Test
  void terminalsAreRecordedOnceAndListedByUser() {
    assertEquals(Set.of(), await(store.terminals("dora")));
    await(store.addTerminal("dora", 102, NOW));
    await(store.addTerminal("dora", 101, NOW));
    await(store.addTerminal("dora", 102, NOW + 1));
    await(store.addTerminal("dorab", 103, NOW));

    assertEquals(Set.of(101, 102), await(store.terminals("dora")));
    assertEquals(Set.of(103), await(store.terminals("dorab")));
  }

  @Test
  void aReadPositionOnlyMovesForwardAndIsSeenFromBothSides() {
    assertEquals(
        Map.of("bob", MessageStore.Positions.NONE), await(store.positions("alice", Set.of("bob"))));

    assertEquals(new MessageStore.ReadMark(500, true), await(store.markRead("bob", "alice", 500)));
    assertEquals(new MessageStore.ReadMark(500, false), await(store.markRead("bob", "alice", 400)));
    assertEquals(new MessageStore.ReadMark(500, false), await(store.markRead("bob", "alice", 500)));
    await(store.markRead("alice", "bob", 300));

    assertEquals(
        new MessageStore.Positions(300, 500, 0),
        await(store.positions("alice", Set.of("bob"))).get("bob"));
    assertEquals(
        new MessageStore.Positions(500, 300, 0),
        await(store.positions("bob", Set.of("alice"))).get("alice"));
  }

  @Test
  void aC2cAckedOrPulledByAnyTerminalOfTheReceiverMovesItsDeliveredPosition() {
    await(store.addTerminal("alice", 102, NOW));
    await(store.addTerminal("bob", 102, NOW));
    Message first = c2c(nextMsgid(), "alice", 101, "bob", 101);
    Message second = c2c(nextMsgid(), "alice", 101, "bob", 101);
    Message third = c2c(nextMsgid(), "alice", 101, "bob", 101);
    await(store.acceptC2c(first, "cmid-1", List.of(first.at("alice", 102))));
    await(store.acceptC2c(second, "cmid-2"));
    await(store.acceptC2c(third, "cmid-3", List.of(third.at("bob", 102))));

    assertTrue(await(store.removeOffline("alice", 102, first.msgid())));
    assertEquals(0, peerDelivered("alice", "bob"), "a sync copy is no delivery");
    assertTrue(await(store.removeOffline("bob", 101, first.msgid())));
    assertEquals(first.msgid(), peerDelivered("alice", "bob"));
    await(store.pull("bob", 102, 0, 50));
    assertEquals(third.msgid(), peerDelivered("alice", "bob"), "a PULL of another terminal");
    assertEquals(1, await(store.removeOfflineListed("bob", 101, List.of(second.msgid()))));
    assertEquals(third.msgid(), peerDelivered("alice", "bob"), "never backwards");
  }

  @Test
  void conversationsAreListedByLastActivityWithTheirUnreadCountsAndPagedByLastMsgid() {
    Message fromCarol = c2c(nextMsgid(), "carol", 101, "bob", 101);
    Message toDave = c2c(nextMsgid(), "bob", 101, "dave", 201);
    Message fromAlice1 = c2c(nextMsgid(), "alice", 101, "bob", 101);
    Message fromAlice2 = c2c(nextMsgid(), "alice", 101, "bob", 102);
    Message toAlice = c2c(nextMsgid(), "bob", 103, "alice", 101);
    Message fromAlice3 = c2c(nextMsgid(), "alice", 101, "bob", 101);
    int cmid = 0;
    for (Message message :
        List.of(fromCarol, toDave, fromAlice1, fromAlice2, toAlice, fromAlice3)) {
      await(store.acceptC2c(message, "cmid-" + cmid++));
    }
    await(store.markRead("bob", "alice", fromAlice1.msgid()));

    MessageStore.Conversations all = await(store.conversations("bob", Long.MAX_VALUE, 10));
    assertFalse(all.more());
    assertEquals(
        List.of(
            new MessageStore.Conversation(
                "alice", fromAlice3.msgid(), fromAlice1.msgid(), 2, fromAlice3),
            new MessageStore.Conversation("dave", toDave.msgid(), 0, 0, toDave),
            new MessageStore.Conversation("carol", fromCarol.msgid(), 0, 1, fromCarol)),
        all.conversations());

    MessageStore.Conversations first = await(store.conversations("bob", Long.MAX_VALUE, 2));
    assertTrue(first.more());
    assertEquals(2, first.conversations().size());
    MessageStore.Conversations rest =
        await(store.conversations("bob", first.conversations().get(1).lastMsgid(), 2));
    assertFalse(rest.more());
    assertEquals(List.of("carol"), rest.conversations().stream().map(c -> c.peer()).toList());
    assertEquals(
        List.of("bob"),
        await(store.conversations("alice", Long.MAX_VALUE, 10)).conversations().stream()
            .map(c -> c.peer())
            .toList());
  }

  @Test
  void contentOfAHundredKilobytesIsStoredWhole() {
    String content = "&quot;".repeat(16_384) + "ü";
    Message s2c = withContent(s2c(nextMsgid(), "bob", 102), content);
    Message c2c = withContent(c2c(nextMsgid(), "alice", 101, "bob", 102), content);

    await(store.storeOffline(List.of(s2c)));
    await(store.acceptC2c(c2c, "cmid-1"));

    assertEquals(List.of(s2c, c2c), await(store.pull("bob", 102, 0, 50)).messages());
    assertEquals(List.of(c2c), await(store.history("alice", "bob", Long.MAX_VALUE, 50)).messages());
  }

  @Test
  void offlineMessagesArePulledInPagesEachExactlyOnce() {
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      messages.add(s2c(nextMsgid(), "bob", 102));
    }
    List<Message> shuffled = new ArrayList<>(messages);
    Collections.shuffle(shuffled, new Random(7));
    await(store.storeOffline(shuffled.subList(0, 60)));
    await(store.storeOffline(shuffled.subList(60, 120)));

    List<Message> pulled = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    List<Boolean> more = new ArrayList<>();
    long after = 0;
    do {
      MessageStore.Pulled page = await(store.pull("bob", 102, after, 50));
      pulled.addAll(page.messages());
      sizes.add(page.messages().size());
      more.add(page.more());
      after = page.messages().get(page.messages().size() - 1).msgid();
    } while (more.get(more.size() - 1));

    assertEquals(List.of(50, 50, 20), sizes);
    assertEquals(List.of(true, true, false), more);
    assertEquals(messages, pulled);
  }

  /**
   * More rows than one multi-row statement holds, and more content than one statement's text
   * budget.
   */
  @Test
  void writesLargerThanOneStatementAreStoredAndRemovedWhole() {
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 2 * MultiRowStatement.MAX_ROWS + 45; i++) {
      Message message = s2c(nextMsgid(), "bob", 102);
      messages.add(i % 20 == 0 ? withContent(message, "x".repeat(100_000) + i) : message);
    }
    await(store.storeOffline(messages));

    assertEquals(messages, pullAll("bob", 102));
    List<Future<Boolean>> removed =
        messages.stream().map(message -> store.removeOffline("bob", 102, message.msgid())).toList();
    removed.forEach(removal -> assertTrue(await(removal)));
    assertEquals(List.of(), pullAll("bob", 102));
  }

  @Test
  void removeOfflineUpToRemovesOnlyWhatTheClientHas() {
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      messages.add(s2c(nextMsgid(), "bob", 102));
    }
    await(store.storeOffline(messages));
    MessageStore.Pulled page = await(store.pull("bob", 102, 0, 4));
    long upto = page.messages().get(3).msgid();
    Message arrivedDuringThePull = s2c(nextMsgid(), "bob", 102);
    await(store.storeOffline(List.of(arrivedDuringThePull)));

    assertEquals(4, await(store.removeOfflineUpTo("bob", 102, upto)));
    assertEquals(0, await(store.removeOfflineUpTo("bob", 102, upto)));

    List<Message> left = new ArrayList<>(messages.subList(4, 10));
    left.add(arrivedDuringThePull);
    assertEquals(left, await(store.pull("bob", 102, 0, 50)).messages());
    assertEquals(7, await(store.removeOfflineUpTo("bob", 102, Long.MAX_VALUE)));
    assertEquals(List.of(), await(store.pull("bob", 102, 0, 50)).messages());
  }

  /**
   * A message whose msgid was taken before a commit that came later (a C2C between shards, another
   * node's clock) becomes visible after a PULL passed its msgid.
   */
  @Test
  void aMessageCommittedBelowThePullCursorIsReturnedByTheNextPullAndNotRemovedUntilThen() {
    Message first = c2c(nextMsgid(), "alice", 101, "bob", 102);
    Message late = c2c(nextMsgid(), "carol", 101, "bob", 102);
    Message third = c2c(nextMsgid(), "dave", 101, "bob", 102);
    await(store.acceptC2c(first, "cmid-first"));
    await(store.acceptC2c(third, "cmid-third"));
    assertEquals(List.of(first, third), await(store.pull("bob", 102, 0, 50)).messages());
    long cursor = third.msgid();

    await(store.acceptC2c(late, "cmid-late"));

    assertEquals(
        2,
        await(store.removeOfflineUpTo("bob", 102, cursor)),
        "upto removes what the client was given, not the message it has not seen");
    assertEquals(List.of(late), await(store.pull("bob", 102, cursor, 50)).messages());
    assertEquals(1, await(store.removeOfflineUpTo("bob", 102, cursor)));
    assertEquals(List.of(), await(store.pull("bob", 102, 0, 50)).messages());
  }

  /**
   * A client that keeps its cursor at the highest msgid it has seen gets every late message once,
   * in pages of {@code limit}.
   */
  @Test
  void lateMessagesBelowTheCursorArePagedLimitAtATime() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 130; i++) {
      ids.add(nextMsgid());
    }
    List<Message> early = ids.subList(120, 130).stream().map(id -> s2c(id, "bob", 102)).toList();
    List<Message> late = ids.subList(0, 120).stream().map(id -> s2c(id, "bob", 102)).toList();
    await(store.storeOffline(early));
    assertEquals(early, await(store.pull("bob", 102, 0, 50)).messages());
    await(store.storeOffline(late));

    List<Message> pulled = new ArrayList<>();
    List<Boolean> more = new ArrayList<>();
    long cursor = ids.get(129);
    MessageStore.Pulled page;
    do {
      page = await(store.pull("bob", 102, cursor, 50));
      pulled.addAll(page.messages());
      more.add(page.more());
      cursor = Math.max(cursor, page.messages().get(page.messages().size() - 1).msgid());
    } while (page.more());

    assertEquals(late, pulled);
    assertEquals(List.of(true, true, false), more);
    assertEquals(List.of(), await(store.pull("bob", 102, cursor, 50)).messages());
  }

  @Test
  void eachMessageIsFirstGivenByOnePullOnly() {
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      messages.add(s2c(nextMsgid(), "bob", 102));
    }
    await(store.storeOffline(messages));
    Set<Long> all = Set.copyOf(msgids(messages));

    List<Future<MessageStore.Pulled>> concurrent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      concurrent.add(store.pull("bob", 102, 0, 50));
    }
    List<Long> firstGiven = new ArrayList<>();
    for (Future<MessageStore.Pulled> pull : concurrent) {
      MessageStore.Pulled pulled = await(pull);
      assertEquals(messages, pulled.messages(), "every pull returns the page");
      firstGiven.addAll(pulled.firstGiven());
    }

    assertEquals(all.size(), firstGiven.size(), "no msgid first given twice: " + firstGiven);
    assertEquals(all, Set.copyOf(firstGiven));
    assertEquals(Set.of(), await(store.pull("bob", 102, 0, 50)).firstGiven());
  }

  @Test
  void aPullBelowItsCursorReturnsOnlyWhatWasNeverGiven() {
    Message given = s2c(nextMsgid(), "bob", 102);
    Message late = s2c(nextMsgid(), "bob", 102);
    Message newer = s2c(nextMsgid(), "bob", 102);
    await(store.storeOffline(List.of(given, newer)));
    MessageStore.Pulled first = await(store.pull("bob", 102, 0, 50));
    assertEquals(Set.of(given.msgid(), newer.msgid()), first.firstGiven());
    await(store.storeOffline(List.of(late)));

    MessageStore.Pulled next = await(store.pull("bob", 102, newer.msgid(), 50));

    assertEquals(List.of(late), next.messages());
    assertEquals(Set.of(late.msgid()), next.firstGiven());
    assertFalse(next.more());
  }

  @Test
  void removeOfflineListedRemovesExactlyThoseGivenOrNot() {
    Message given = s2c(nextMsgid(), "bob", 102);
    Message pushedOnly = s2c(nextMsgid(), "bob", 102);
    Message kept = s2c(nextMsgid(), "bob", 102);
    Message otherApp = s2c(nextMsgid(), "bob", 103);
    await(store.storeOffline(List.of(given)));
    await(store.pull("bob", 102, 0, 50));
    await(store.storeOffline(List.of(pushedOnly, kept, otherApp)));

    assertEquals(
        2,
        await(
            store.removeOfflineListed(
                "bob",
                102,
                List.of(pushedOnly.msgid(), given.msgid(), otherApp.msgid(), given.msgid(), 1L))));
    assertEquals(0, await(store.removeOfflineListed("bob", 102, List.of(given.msgid()))));
    assertEquals(0, await(store.removeOfflineListed("bob", 102, List.of())));

    assertEquals(List.of(kept), await(store.pull("bob", 102, 0, 50)).messages());
    assertEquals(List.of(otherApp), await(store.pull("bob", 103, 0, 50)).messages());
  }

  @Test
  void removeOfflineUpToLeavesWhatNoPullGave() {
    Message pushedOnly = s2c(nextMsgid(), "bob", 102);
    await(store.storeOffline(List.of(pushedOnly)));

    assertEquals(0, await(store.removeOfflineUpTo("bob", 102, Long.MAX_VALUE)));
    assertEquals(List.of(pushedOnly), await(store.pull("bob", 102, 0, 50)).messages());
    assertEquals(1, await(store.removeOfflineUpTo("bob", 102, Long.MAX_VALUE)));
  }

  @Test
  void removeOfflineRemovesOneMessage() {
    Message first = s2c(nextMsgid(), "bob", 102);
    Message second = s2c(nextMsgid(), "bob", 102);
    await(store.storeOffline(List.of(first, second)));

    assertTrue(await(store.removeOffline("bob", 102, first.msgid())));
    assertFalse(await(store.removeOffline("bob", 102, first.msgid())));
    assertFalse(await(store.removeOffline("bob", 103, second.msgid())));

    assertEquals(List.of(second), await(store.pull("bob", 102, 0, 50)).messages());
  }

  @Test
  void concurrentRemovalsOfOneMessageRemoveItOnce() {
    Message message = s2c(nextMsgid(), "bob", 102);
    await(store.storeOffline(List.of(message)));

    List<Future<Boolean>> removals = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      removals.add(store.removeOffline("bob", 102, message.msgid()));
    }

    assertEquals(1, removals.stream().filter(removal -> await(removal)).count());
  }

  @Test
  void offlineMessagesBelongToOneAppcode() {
    Message message = c2c(nextMsgid(), "alice", 101, "bob", 102);
    await(store.acceptC2c(message, "cmid-1"));

    assertEquals(List.of(), await(store.pull("bob", 103, 0, 50)).messages());
    assertEquals(0, await(store.removeOfflineUpTo("bob", 103, Long.MAX_VALUE)));
    assertFalse(await(store.removeOffline("bob", 103, message.msgid())));
    assertEquals(List.of(), await(store.pull("alice", 101, 0, 50)).messages());
    assertEquals(List.of(message), await(store.pull("bob", 102, 0, 50)).messages());
  }

  @Test
  void storingOfflineMessagesAgainIsHarmless() {
    Message a = s2c(nextMsgid(), "bob", 102);
    Message b = s2c(nextMsgid(), "bob", 102);
    Message c = s2c(nextMsgid(), "bob", 102);

    await(store.storeOffline(List.of(a, b)));
    await(store.storeOffline(List.of(a, b)));
    await(store.storeOffline(List.of(b, c, c)));

    assertEquals(List.of(a, b, c), await(store.pull("bob", 102, 0, 50)).messages());
  }

  /**
   * 40 messages of 16 KiB of three-byte characters (48 KiB of UTF-8 each, 1.9 MiB in all): pages of
   * 50 stop at {@link MessageStore#MAX_PAGE_BYTES}, say {@code more}, and together give every
   * message once; a message larger than the bound alone still makes a page.
   */
  @Test
  void pagesStopAtTheByteBoundAndStillGiveEverything() {
    String large = "中".repeat(16 * 1024);
    List<Message> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Message message =
          new Message(
              nextMsgid(), Kind.C2C, "alice", 101, "bob", 102, 1, large, NOW, "log-big-" + i);
      await(store.acceptC2c(message, "cmid-big-" + i));
      sent.add(message);
    }
    int perPage = MessageStore.MAX_PAGE_BYTES / (3 * large.length());

    List<Message> pulled = new ArrayList<>();
    long after = 0;
    MessageStore.Pulled page;
    do {
      page = await(store.pull("bob", 102, after, 50));
      assertTrue(page.messages().size() <= perPage, page.messages().size() + " on one page");
      pulled.addAll(page.messages());
      after = page.messages().get(page.messages().size() - 1).msgid();
    } while (page.more());
    assertEquals(sent, pulled);

    MessageStore.Page newest = await(store.history("alice", "bob", Long.MAX_VALUE, 50));
    assertEquals(perPage, newest.messages().size());
    assertTrue(newest.more());

    Message huge =
        new Message(
            nextMsgid(), Kind.S2C, "", 0, "carol", 102, 1, "x".repeat(300_000), NOW, "log-huge");
    await(store.storeOffline(List.of(huge)));
    assertEquals(List.of(huge), await(store.pull("carol", 102, 0, 50)).messages());
  }

  @Test
  void historyIsSeenByBothSidesNewestFirst() {
    List<Message> conversation = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Message message =
          i % 2 == 0
              ? c2c(nextMsgid(), "alice", 101, "bob", 102)
              : c2c(nextMsgid(), "bob", 102, "alice", 103);
      await(store.acceptC2c(message, "cmid-" + i));
      conversation.add(0, message);
    }
    await(store.acceptC2c(c2c(nextMsgid(), "alice", 101, "carol", 104), "cmid-carol"));

    assertEquals(conversation, await(store.history("alice", "bob", Long.MAX_VALUE, 50)).messages());
    assertEquals(conversation, await(store.history("bob", "alice", Long.MAX_VALUE, 50)).messages());
    assertEquals(List.of(), await(store.history("bob", "carol", Long.MAX_VALUE, 50)).messages());
    assertEquals(List.of(), await(store.history("carol", "bob", Long.MAX_VALUE, 50)).messages());

    MessageStore.Page first = await(store.history("alice", "bob", Long.MAX_VALUE, 2));
    MessageStore.Page second =
        await(store.history("alice", "bob", first.messages().get(1).msgid(), 2));
    MessageStore.Page third =
        await(store.history("alice", "bob", second.messages().get(1).msgid(), 2));
    assertEquals(conversation.subList(0, 2), first.messages());
    assertEquals(conversation.subList(2, 4), second.messages());
    assertEquals(conversation.subList(4, 5), third.messages());
    assertEquals(List.of(true, true, false), List.of(first.more(), second.more(), third.more()));
  }

  @Test
  void aMessageToOneselfIsOneHistoryRow() {
    Message message = c2c(nextMsgid(), "alice", 101, "alice", 103);

    await(store.acceptC2c(message, "cmid-1"));

    assertEquals(
        List.of(message), await(store.history("alice", "alice", Long.MAX_VALUE, 50)).messages());
    assertEquals(List.of(message), await(store.pull("alice", 103, 0, 50)).messages());
    assertEquals(List.of(), await(store.pull("alice", 101, 0, 50)).messages());
  }

  @Test
  void aResendWithTheSameCmidGetsTheFirstMessage() {
    Message first = c2c(nextMsgid(), "alice", 101, "bob", 102);
    Message resend = c2c(nextMsgid(), "alice", 101, "bob", 102);
    await(store.acceptC2c(first, "cmid-1"));

    assertEquals(
        new MessageStore.Accepted(first.msgid(), first.senddate(), true),
        await(store.acceptC2c(resend, "cmid-1")));

    assertEquals(
        List.of(first), await(store.history("alice", "bob", Long.MAX_VALUE, 50)).messages());
    assertEquals(
        List.of(first), await(store.history("bob", "alice", Long.MAX_VALUE, 50)).messages());
    assertEquals(List.of(first), await(store.pull("bob", 102, 0, 50)).messages());
  }

  @Test
  void theSameCmidFromAnotherSenderIsAnotherMessage() {
    Message fromAlice = c2c(nextMsgid(), "alice", 101, "bob", 102);
    Message fromAlicesOtherApp = c2c(nextMsgid(), "alice", 103, "bob", 102);
    Message fromCarol = c2c(nextMsgid(), "carol", 101, "bob", 102);

    assertFalse(await(store.acceptC2c(fromAlice, "cmid-1")).duplicate());
    assertFalse(await(store.acceptC2c(fromAlicesOtherApp, "cmid-1")).duplicate());
    assertFalse(await(store.acceptC2c(fromCarol, "cmid-1")).duplicate());

    assertEquals(
        List.of(fromAlice, fromAlicesOtherApp, fromCarol),
        await(store.pull("bob", 102, 0, 50)).messages());
  }

  @Test
  void cmidsThatDifferOnlyInTrailingSpacesAreDifferentMessages() {
    Message first = c2c(nextMsgid(), "alice", 101, "bob", 102);
    Message second = c2c(nextMsgid(), "alice", 101, "bob", 102);
    Message third = c2c(nextMsgid(), "alice", 101, "bob", 102);

    assertFalse(await(store.acceptC2c(first, "x")).duplicate());
    assertEquals(
        new MessageStore.Accepted(second.msgid(), second.senddate(), false),
        await(store.acceptC2c(second, "x ")));
    assertEquals(
        new MessageStore.Accepted(third.msgid(), third.senddate(), false),
        await(store.acceptC2c(third, "x  ")));
    assertEquals(
        new MessageStore.Accepted(second.msgid(), second.senddate(), true),
        await(store.acceptC2c(c2c(nextMsgid(), "alice", 101, "bob", 102), "x ")));

    assertEquals(List.of(first, second, third), await(store.pull("bob", 102, 0, 50)).messages());
  }

  @Test
  void uidsThatDifferOnlyInTrailingSpacesAreDifferentUsers() {
    Message toBob = c2c(nextMsgid(), "alice", 101, "bob", 102);
    Message toBobSpace = c2c(nextMsgid(), "alice", 101, "bob ", 102);
    Message fromAliceSpace = c2c(nextMsgid(), "alice ", 101, "bob", 102);
    await(store.acceptC2c(toBob, "cmid-1"));
    await(store.acceptC2c(toBobSpace, "cmid-2"));
    await(store.acceptC2c(fromAliceSpace, "cmid-1"));
    Message s2cToBobSpace = s2c(toBob.msgid(), "bob ", 102);
    await(store.storeOffline(List.of(s2cToBobSpace)));

    assertEquals(List.of(toBob, fromAliceSpace), await(store.pull("bob", 102, 0, 50)).messages());
    assertEquals(
        List.of(s2cToBobSpace, toBobSpace), await(store.pull("bob ", 102, 0, 50)).messages());
    assertEquals(
        List.of(toBob), await(store.history("bob", "alice", Long.MAX_VALUE, 50)).messages());
    assertEquals(
        List.of(toBobSpace), await(store.history("alice", "bob ", Long.MAX_VALUE, 50)).messages());
    assertEquals(
        List.of(fromAliceSpace),
        await(store.history("bob", "alice ", Long.MAX_VALUE, 50)).messages());
    assertEquals(1, await(store.removeOfflineUpTo("bob ", 102, toBob.msgid())));
    assertEquals(List.of(toBob, fromAliceSpace), await(store.pull("bob", 102, 0, 50)).messages());
  }

  @Test
  void anotherMessageUnderAStoredMsgidIsAConflictAndNotStored() {
    Message stored = s2c(nextMsgid(), "bob", 102);
    await(store.storeOffline(List.of(stored)));
    Message sameIdOtherLogid = withLogid(stored, stored.logid() + " ");
    Message sameIdOtherSender = c2c(stored.msgid(), "dave", 101, "bob", 102);

    await(store.storeOffline(List.of(stored)));
    assertConflict(stored.msgid(), store.storeOffline(List.of(sameIdOtherLogid)));
    assertConflict(stored.msgid(), store.acceptC2c(sameIdOtherSender, "cmid-1"));

    assertEquals(List.of(stored), await(store.pull("bob", 102, 0, 50)).messages());
    assertEquals(List.of(), await(store.history("bob", "dave", Long.MAX_VALUE, 50)).messages());
  }

  @Test
  void aConflictInTheSendersHistoryFailsTheWholeMessage() {
    Message first = c2c(nextMsgid(), "alice", 101, "bob", 102);
    await(store.acceptC2c(first, "cmid-1"));
    Message sameIdAgain = withLogid(first, "log-other");

    assertConflict(first.msgid(), store.acceptC2c(sameIdAgain, "cmid-2"));
    assertEquals(List.of(first), await(store.pull("bob", 102, 0, 50)).messages());
    assertEquals(
        List.of(first), await(store.history("alice", "bob", Long.MAX_VALUE, 50)).messages());
    assertFalse(
        await(store.acceptC2c(c2c(nextMsgid(), "alice", 101, "bob", 102), "cmid-2")).duplicate(),
        "the refused message left no dedup row behind");
  }

  /** Two conflicts in a row do not look like a failing database to the group commit. */
  @Test
  void conflictsFailAloneAmongConcurrentWrites() {
    Message stored = s2c(nextMsgid(), "bob", 102);
    await(store.storeOffline(List.of(stored)));
    List<Message> others = new ArrayList<>();
    List<Future<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      if (i == 100) {
        writes.add(store.storeOffline(List.of(withLogid(stored, "log-conflict-1"))));
        writes.add(store.storeOffline(List.of(withLogid(stored, "log-conflict-2"))));
      }
      Message other = s2c(nextMsgid(), "bob", 102);
      others.add(other);
      writes.add(store.storeOffline(List.of(other)));
    }

    assertConflict(stored.msgid(), writes.remove(100));
    assertConflict(stored.msgid(), writes.remove(100));
    writes.forEach(MessageStoreContract::await);
    List<Message> expected = new ArrayList<>(List.of(stored));
    expected.addAll(others);
    assertEquals(expected, pullAll("bob", 102));
  }

  @Test
  void manyConcurrentAcceptsAreAllStoredOnce() {
    List<Message> messages = new ArrayList<>();
    List<Future<MessageStore.Accepted>> accepted = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      Message message = c2c(nextMsgid(), "sender" + i % 20, 101, "receiver" + i / 20 % 10, 102);
      messages.add(message);
      accepted.add(store.acceptC2c(message, "cmid-" + i));
    }

    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      assertEquals(
          new MessageStore.Accepted(message.msgid(), message.senddate(), false),
          await(accepted.get(i)));
    }
    List<Message> pulled = new ArrayList<>();
    for (int receiver = 0; receiver < 10; receiver++) {
      pulled.addAll(pullAll("receiver" + receiver, 102));
    }
    assertEquals(Set.copyOf(messages), Set.copyOf(pulled));
    assertEquals(messages.size(), pulled.size());
    assertEquals(
        10, await(store.history("sender0", "receiver0", Long.MAX_VALUE, 200)).messages().size());
    assertEquals(
        10, await(store.history("receiver0", "sender0", Long.MAX_VALUE, 200)).messages().size());
  }

  @Test
  void concurrentResendsOfOneCmidMakeOneMessage() {
    List<Future<MessageStore.Accepted>> accepted = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      accepted.add(store.acceptC2c(c2c(nextMsgid(), "alice", 101, "bob", 102), "cmid-1"));
    }

    List<MessageStore.Accepted> results =
        accepted.stream().map(MessageStoreContract::await).toList();
    assertEquals(1, results.stream().filter(result -> !result.duplicate()).count());
    assertEquals(1, results.stream().map(MessageStore.Accepted::msgid).distinct().count());
    List<Message> pulled = await(store.pull("bob", 102, 0, 50)).messages();
    assertEquals(1, pulled.size());
    assertEquals(results.get(0).msgid(), pulled.get(0).msgid());
    assertEquals(1, await(store.history("alice", "bob", Long.MAX_VALUE, 50)).messages().size());
    assertEquals(1, await(store.history("bob", "alice", Long.MAX_VALUE, 50)).messages().size());
  }

  @Test
  void aReceiverAtItsOfflineCapIsRefusedAndKeepsWhatItHas() {
    reopenWith(SqlStoreOptions.defaults().withQuotas(3, Duration.ZERO, Duration.ZERO));
    Message first = s2c(nextMsgid(), "bob", 102);
    Message second = c2c(nextMsgid(), "alice", 101, "bob", 102);
    Message third = c2c(nextMsgid(), "carol", 101, "bob", 102);
    await(store.storeOffline(List.of(first)));
    await(store.acceptC2c(second, "cmid-2"));
    await(store.acceptC2c(third, "cmid-3"));

    assertQuotaRefusal(store.acceptC2c(c2c(nextMsgid(), "alice", 101, "bob", 102), "cmid-4"));
    assertQuotaRefusal(store.storeOffline(List.of(s2c(nextMsgid(), "bob", 102))));
    Message elsewhere = s2c(nextMsgid(), "dave", 102);
    assertQuotaRefusal(store.storeOffline(List.of(elsewhere, s2c(nextMsgid(), "bob", 102))));
    assertEquals(
        new MessageStore.Accepted(second.msgid(), second.senddate(), true),
        await(store.acceptC2c(c2c(nextMsgid(), "alice", 101, "bob", 102), "cmid-2")),
        "a resend of an accepted cmid is answered as before");
    Message otherApp = s2c(nextMsgid(), "bob", 103);
    await(store.storeOffline(List.of(otherApp)));

    assertEquals(msgids(List.of(first, second, third)), msgids(pullAll("bob", 102)));
    assertEquals(List.of(), pullAll("dave", 102), "a refused write stores nothing");
    assertEquals(List.of(otherApp), pullAll("bob", 103));

    await(store.removeOfflineUpTo("bob", 102, third.msgid()));
    Message after = c2c(nextMsgid(), "alice", 101, "bob", 102);
    await(store.acceptC2c(after, "cmid-5"));
    assertEquals(List.of(after), pullAll("bob", 102), "acknowledged messages free their places");
  }

  @Test
  void writesInOneBatchShareTheLastPlaces() {
    reopenWith(SqlStoreOptions.defaults().withQuotas(5, Duration.ZERO, Duration.ZERO));
    List<Future<MessageStore.Accepted>> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add(store.acceptC2c(c2c(nextMsgid(), "alice", 101, "bob", 102), "cmid-" + i));
    }
    int accepted = 0;
    for (Future<MessageStore.Accepted> result : sent) {
      await(result.otherwiseEmpty());
      if (result.succeeded()) {
        accepted++;
      } else {
        assertTrue(result.cause() instanceof OfflineQuotaException, result.cause().toString());
      }
    }

    assertEquals(5, accepted);
    assertEquals(5, pullAll("bob", 102).size());
  }

  @Test
  void rowsOlderThanTheirRetentionArePurgedInBoundedRounds() {
    reopenWith(
        new SqlStoreOptions(
            SqlStoreOptions.DEFAULT_MAX_QUEUED_WRITES,
            SqlStoreOptions.DEFAULT_MAX_BATCH_WRITES,
            SqlStoreOptions.DEFAULT_DEDUP_RETENTION,
            SqlStoreOptions.DEFAULT_PURGE_INTERVAL,
            2,
            SqlStoreOptions.DEFAULT_OFFLINE_MAX_PER_USER,
            Duration.ofDays(1),
            Duration.ofDays(2)));
    long now = NOW + Duration.ofDays(400).toMillis();
    long threeDaysAgo = now - Duration.ofDays(3).toMillis();
    long yesterdayMorning = now - Duration.ofHours(36).toMillis();
    Message oldS2c = sentAt(s2c(nextMsgid(), "bob", 102), threeDaysAgo);
    Message oldC2c = sentAt(c2c(nextMsgid(), "alice", 101, "bob", 102), threeDaysAgo);
    Message recentS2c = sentAt(s2c(nextMsgid(), "bob", 102), yesterdayMorning);
    Message recentC2c = sentAt(c2c(nextMsgid(), "alice", 101, "bob", 102), yesterdayMorning);
    Message fresh = sentAt(s2c(nextMsgid(), "bob", 102), now);
    await(store.storeOffline(List.of(oldS2c, recentS2c, fresh)));
    await(store.acceptC2c(oldC2c, "cmid-old"));
    await(store.acceptC2c(recentC2c, "cmid-recent"));

    int first = await(store.purgeExpired(now));
    int total = first;
    for (int round = 0; round < 10; round++) {
      total += await(store.purgeExpired(now));
    }

    assertTrue(first < 6, "one round deletes at most a batch of each kind: " + first);
    assertEquals(6, total, "4 offline rows and the 2 history rows of the old c2c");
    assertEquals(List.of(fresh), pullAll("bob", 102));
    assertEquals(
        List.of(recentC2c), await(store.history("alice", "bob", Long.MAX_VALUE, 50)).messages());
    assertEquals(
        List.of(recentC2c), await(store.history("bob", "alice", Long.MAX_VALUE, 50)).messages());
  }

  @Test
  void aRetentionOfZeroKeepsRowsForever() {
    reopenWith(SqlStoreOptions.defaults().withQuotas(0, Duration.ZERO, Duration.ZERO));
    Message old = sentAt(c2c(nextMsgid(), "alice", 101, "bob", 102), 1);
    await(store.acceptC2c(old, "cmid-1"));

    assertEquals(0, await(store.purgeExpired(NOW)));
    assertEquals(List.of(old), pullAll("bob", 102));
    assertEquals(List.of(old), await(store.history("alice", "bob", Long.MAX_VALUE, 50)).messages());
  }

  @Test
  void everythingSurvivesARestart() {
    Message c2c = c2c(nextMsgid(), "alice", 101, "bob", 102);
    Message s2c = s2c(nextMsgid(), "bob", 103);
    await(store.acceptC2c(c2c, "cmid-1"));
    await(store.storeOffline(List.of(s2c)));

    await(store.close());
    store = await(openStore());

    assertEquals(List.of(c2c), await(store.pull("bob", 102, 0, 50)).messages());
    assertEquals(List.of(s2c), await(store.pull("bob", 103, 0, 50)).messages());
    assertEquals(List.of(c2c), await(store.history("alice", "bob", Long.MAX_VALUE, 50)).messages());
    assertEquals(List.of(c2c), await(store.history("bob", "alice", Long.MAX_VALUE, 50)).messages());
    assertEquals(
        new MessageStore.Accepted(c2c.msgid(), c2c.senddate(), true),
        await(store.acceptC2c(c2c(nextMsgid(), "alice", 101, "bob", 102), "cmid-1")));
    assertEquals(s2c.msgid(), await(store.maxMsgid()));
  }

  @Test
  void maxMsgidIsTheHighestInAnyTable() {
    assertEquals(0, await(store.maxMsgid()));

    Message c2c = c2c(nextMsgid(), "alice", 101, "bob", 102);
    await(store.acceptC2c(c2c, "cmid-1"));
    assertTrue(await(store.removeOffline("bob", 102, c2c.msgid())));
    assertEquals(c2c.msgid(), await(store.maxMsgid()), "the history rows keep it");

    Message s2c = s2c(nextMsgid(), "bob", 102);
    await(store.storeOffline(List.of(s2c)));
    assertEquals(s2c.msgid(), await(store.maxMsgid()));
  }

  @Test
  void msgidsCompareAsNumbers() {
    // As text, "10" < "9" and "1099511627776" < "999999999999".
    List<Long> ids =
        List.of(
            9L,
            10L,
            999_999_999_999L,
            (1L << 40) - 1,
            1L << 40,
            (1L << 40) + 1,
            1L << 62,
            (1L << 62) + 1,
            Long.MAX_VALUE - 1);
    List<Long> shuffled = new ArrayList<>(ids);
    Collections.shuffle(shuffled, new Random(3));
    for (long id : shuffled) {
      await(store.acceptC2c(c2c(id, "alice", 101, "bob", 102), "cmid-" + id));
    }

    assertEquals(ids, msgids(await(store.pull("bob", 102, 0, 50)).messages()));
    assertEquals(
        ids.subList(4, ids.size()),
        msgids(await(store.pull("bob", 102, (1L << 40) - 1, 50)).messages()));
    List<Long> newestFirst = new ArrayList<>(ids);
    Collections.reverse(newestFirst);
    assertEquals(
        newestFirst, msgids(await(store.history("alice", "bob", Long.MAX_VALUE, 50)).messages()));
    assertEquals(
        List.of(1L << 40, (1L << 40) - 1),
        msgids(await(store.history("bob", "alice", (1L << 40) + 1, 2)).messages()));
    assertEquals(Long.MAX_VALUE - 1, await(store.maxMsgid()));

    assertEquals(5, await(store.removeOfflineUpTo("bob", 102, 1L << 40)));
    assertEquals(
        ids.subList(5, ids.size()), msgids(await(store.pull("bob", 102, 0, 50)).messages()));
  }

  @Test
  void badInputFailsAloneAndAtOnce() {
    Message good = c2c(nextMsgid(), "alice", 101, "bob", 102);
    Future<MessageStore.Accepted> tooLongCmid =
        store.acceptC2c(c2c(nextMsgid(), "alice", 101, "bob", 102), "c".repeat(65));
    Future<Void> tooLongUid = store.storeOffline(List.of(s2c(nextMsgid(), "b".repeat(65), 102)));
    Future<MessageStore.Accepted> accepted = store.acceptC2c(good, "cmid-1");

    assertThrows(IllegalArgumentException.class, () -> await(tooLongCmid));
    assertThrows(IllegalArgumentException.class, () -> await(tooLongUid));
    assertFalse(await(accepted).duplicate());
    assertThrows(IllegalArgumentException.class, () -> await(store.pull("bob", 102, 0, 0)));
  }

  @Test
  void operationsAfterCloseFailRatherThanHang() {
    Message message = c2c(nextMsgid(), "alice", 101, "bob", 102);
    await(store.acceptC2c(message, "cmid-1"));

    await(store.close());

    assertFails(store.acceptC2c(c2c(nextMsgid(), "alice", 101, "bob", 102), "cmid-2"));
    assertFails(store.storeOffline(List.of(s2c(nextMsgid(), "bob", 102))));
    assertFails(store.pull("bob", 102, 0, 50));
    assertFails(store.history("alice", "bob", Long.MAX_VALUE, 50));
    assertFails(store.removeOfflineUpTo("bob", 102, Long.MAX_VALUE));
    assertFails(store.removeOfflineListed("bob", 102, List.of(message.msgid())));
    assertFails(store.removeOffline("bob", 102, message.msgid()));
    assertFails(store.maxMsgid());
  }

  /** The next msgid of this test, increasing. */
  private long peerDelivered(String owner, String peer) {
    return await(store.positions(owner, Set.of(peer))).get(peer).peerDelivered();
  }

  protected long nextMsgid() {
    return nextMsgid.incrementAndGet();
  }

  /**
   * A C2C message whose fields all differ from their neighbours', so that a swapped column shows.
   */
  protected static Message c2c(long msgid, String from, int fromAppcode, String to, int toAppcode) {
    return new Message(
        msgid,
        Kind.C2C,
        from,
        fromAppcode,
        to,
        toAppcode,
        (int) (msgid % 1000),
        "hello " + msgid + " from " + from,
        NOW + msgid % 1000,
        "log-" + msgid);
  }

  /** An S2C message from a business, which names no sender. */
  protected static Message s2c(long msgid, String to, int toAppcode) {
    return new Message(
        msgid,
        Kind.S2C,
        "",
        0,
        to,
        toAppcode,
        3,
        "order " + msgid,
        NOW + msgid % 1000,
        "log-" + msgid);
  }

  private static Message sentAt(Message message, long senddate) {
    return new Message(
        message.msgid(),
        message.kind(),
        message.fromUid(),
        message.fromAppcode(),
        message.toUid(),
        message.toAppcode(),
        message.msgtype(),
        message.content(),
        senddate,
        message.logid());
  }

  private static void assertQuotaRefusal(Future<?> write) {
    await(write.otherwiseEmpty());
    assertTrue(
        write.failed() && write.cause() instanceof OfflineQuotaException,
        "expected an offline quota refusal, got " + (write.failed() ? write.cause() : "success"));
  }

  protected static Message withContent(Message message, String content) {
    return new Message(
        message.msgid(),
        message.kind(),
        message.fromUid(),
        message.fromAppcode(),
        message.toUid(),
        message.toAppcode(),
        message.msgtype(),
        content,
        message.senddate(),
        message.logid());
  }

  protected static Message withLogid(Message message, String logid) {
    return new Message(
        message.msgid(),
        message.kind(),
        message.fromUid(),
        message.fromAppcode(),
        message.toUid(),
        message.toAppcode(),
        message.msgtype(),
        message.content(),
        message.senddate(),
        logid);
  }

  /** {@code write} fails with a {@link MsgidConflictException} naming {@code msgid}. */
  protected static void assertConflict(long msgid, Future<?> write) {
    try {
      write.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      fail("a different message under msgid " + msgid + " was accepted");
    } catch (TimeoutException e) {
      fail("no result within " + TIMEOUT_SECONDS + " s", e);
    } catch (Exception failure) {
      MsgidConflictException conflict = assertInstanceOf(MsgidConflictException.class, failure);
      assertEquals(msgid, conflict.msgid());
    }
  }

  protected List<Message> pullAll(String uid, int appcode) {
    List<Message> all = new ArrayList<>();
    MessageStore.Pulled page;
    long after = 0;
    do {
      page = await(store.pull(uid, appcode, after, 200));
      all.addAll(page.messages());
      after =
          page.messages().isEmpty()
              ? after
              : page.messages().get(page.messages().size() - 1).msgid();
    } while (page.more());
    Set<Long> distinct = new HashSet<>(msgids(all));
    assertEquals(all.size(), distinct.size(), "a msgid was pulled twice");
    return all;
  }

  protected static List<Long> msgids(List<Message> messages) {
    return messages.stream().map(Message::msgid).toList();
  }

  protected static <T> T await(Future<T> future) {
    try {
      return future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return fail("no result within " + TIMEOUT_SECONDS + " s", e);
    }
  }

  protected static void assertFails(Future<?> future) {
    try {
      future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      fail("succeeded");
    } catch (TimeoutException e) {
      fail("no result within " + TIMEOUT_SECONDS + " s", e);
    } catch (Exception expected) {
      // Future.await rethrows the cause as it is, checked or not: SQLException,
      // IllegalStateException ...
      assertNotEquals(null, expected.getMessage());
    }
  }
}
