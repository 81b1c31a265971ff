package io.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.protocol.Code;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * What every {@link MessageStore} must do with groups (docs/groups.md, the group operations of
 * {@link MessageStore}), run against each implementation by a subclass that says how to open one.
 *
 * <p>The tests' user system is 101, 102 and 103 (one person's three terminals); 201 is a system of
 * its own. {@link #fanout} gives the copies routing would: each other member's addressed copy and a
 * copy per other terminal of its system, and the sender a sync copy per other terminal of its
 * system; the store keeps the addressed copies and the copies of recorded terminals.
 */
public abstract class GroupStoreContract {
  /** No store operation may take this long; longer means it hangs. */
  private static final long TIMEOUT_SECONDS = 30;

  private static final long NOW = System.currentTimeMillis();

  /** A maximum no test reaches unless it means to. */
  private static final int MAX = 500;

  private static final List<Integer> USER_SYSTEM = List.of(101, 102, 103);

  protected static Vertx vertx;
  protected MessageStore store;
  private final AtomicLong nextMsgid = new AtomicLong(1_000);

  /** The members {@link #fanout} was asked for, in order. */
  private final List<String> asked = Collections.synchronizedList(new ArrayList<>());

  /** The copies routing gives for a member: see the class comment. */
  protected final GroupFanout fanout =
      (message, member) -> {
        asked.add(member.uid());
        List<Integer> system =
            USER_SYSTEM.contains(member.appcode()) ? USER_SYSTEM : List.of(member.appcode());
        List<Message> copies = new ArrayList<>();
        boolean sender = member.uid().equals(message.fromUid());
        for (int terminal : system) {
          if (!sender || terminal != message.fromAppcode()) {
            copies.add(message.forMember(member.uid(), member.appcode(), terminal));
          }
        }
        return copies;
      };

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
  void aCreatedGroupHasItsMembersInTheOrderGivenEachAtTheJoinPoint() {
    long joined = nextMsgid();

    Group created =
        await(
            store.createGroup(
                "order-1",
                "Order 1",
                List.of(
                    invitee("alice", 101),
                    invitee("bob", 201),
                    invitee("carol", 102),
                    invitee("bob", 101)),
                joined,
                3));

    Group expected =
        new Group(
            "order-1",
            "Order 1",
            false,
            0,
            List.of(
                new Group.Member("alice", 101, joined, 0),
                new Group.Member("bob", 201, joined, 0),
                new Group.Member("carol", 102, joined, 0)));
    assertEquals(expected, created, "an invitee listed twice is one member, its first appcode");
    assertEquals(expected, await(store.group("order-1")));
  }

  @Test
  void aGroupIdThatExistsIsRefused409OpenOrClosedAndNothingChanges() {
    Group first = create("order-1", invitee("alice", 101), invitee("bob", 201));

    assertRefused(
        Code.CONFLICT,
        store.createGroup("order-1", "other", List.of(invitee("dave", 201)), nextMsgid(), MAX));
    assertEquals(first, await(store.group("order-1")));

    Group closed = await(store.closeGroup("order-1"));
    assertRefused(
        Code.CONFLICT,
        store.createGroup("order-1", "other", List.of(invitee("dave", 201)), nextMsgid(), MAX));
    assertEquals(closed, await(store.group("order-1")));
  }

  @Test
  void aCreateOverTheMaximumIsRefused413AndStoresNothing() {
    assertRefused(
        Code.TOO_LARGE,
        store.createGroup(
            "order-1",
            "Order 1",
            List.of(invitee("alice", 101), invitee("bob", 201), invitee("carol", 102)),
            nextMsgid(),
            2));
    assertRefused(Code.NOT_FOUND, store.group("order-1"));
    assertEquals(
        List.of(), await(store.conversations("alice", Long.MAX_VALUE, 10)).conversations());

    Group group =
        await(
            store.createGroup(
                "order-1",
                "Order 1",
                List.of(invitee("alice", 101), invitee("bob", 201), invitee("alice", 102)),
                nextMsgid(),
                2));
    assertEquals(2, group.members().size(), "a duplicate invitee does not count twice");
  }

  @Test
  void anUnknownGroupIsRefused404ByEveryOperationOnIt() {
    assertRefused(Code.NOT_FOUND, store.group("nobody"));
    assertRefused(Code.NOT_FOUND, store.closeGroup("nobody"));
    assertRefused(
        Code.NOT_FOUND,
        store.changeMembers("nobody", List.of(invitee("alice", 101)), List.of(), nextMsgid(), MAX));
    assertRefused(Code.NOT_FOUND, store.markGroupRead("alice", "nobody", 5_000));
    assertRefused(
        Code.NOT_FOUND, store.acceptC2g(c2g(nextMsgid(), "alice", 101, "nobody"), "c1", fanout));
    assertEquals(List.of(), asked, "no fanout without a group");
  }

  @Test
  void membersAreAddedAndRemovedAtomicallyAndKeepTheirJoinPoints() {
    long created = nextMsgid();
    await(
        store.createGroup(
            "order-1",
            "Order 1",
            List.of(invitee("alice", 101), invitee("bob", 201)),
            created,
            MAX));
    long added = nextMsgid();

    Group after =
        await(
            store.changeMembers(
                "order-1",
                List.of(invitee("bob", 101), invitee("dave", 201), invitee("erin", 301)),
                List.of("zed", "erin"),
                added,
                MAX));

    List<Group.Member> expected =
        List.of(
            new Group.Member("alice", 101, created, 0),
            new Group.Member("bob", 201, created, 0),
            new Group.Member("dave", 201, added, 0));
    assertEquals(
        expected,
        after.members(),
        "bob keeps his join point and appcode, zed was no member, erin in both lists is removed");
    assertEquals(after, await(store.group("order-1")));

    await(store.markGroupRead("bob", "order-1", added));
    await(store.changeMembers("order-1", List.of(), List.of("bob"), nextMsgid(), MAX));
    long again = nextMsgid();
    Group back =
        await(store.changeMembers("order-1", List.of(invitee("bob", 102)), List.of(), again, MAX));

    assertEquals(
        List.of(
            new Group.Member("alice", 101, created, 0),
            new Group.Member("dave", 201, added, 0),
            new Group.Member("bob", 102, again, 0)),
        back.members(),
        "added again, bob is a new member: new join point, appcode and read position");
  }

  @Test
  void aChangePassingTheMaximumIsRefused413AndChangesNothing() {
    Group group = create("order-1", invitee("alice", 101), invitee("bob", 201));

    assertRefused(
        Code.TOO_LARGE,
        store.changeMembers(
            "order-1",
            List.of(invitee("carol", 102), invitee("dave", 201)),
            List.of(),
            nextMsgid(),
            3));
    assertEquals(group, await(store.group("order-1")));

    Group changed =
        await(
            store.changeMembers(
                "order-1",
                List.of(invitee("carol", 102), invitee("dave", 201)),
                List.of("alice"),
                nextMsgid(),
                3));
    assertEquals(
        List.of("bob", "carol", "dave"),
        changed.members().stream().map(Group.Member::uid).toList(),
        "the removals count before the maximum is checked");
  }

  @Test
  void aClosedGroupRefusesSendsAndChangesAndKeepsMembersHistoryAndReadPositions() {
    create("order-1", invitee("alice", 101), invitee("bob", 201));
    Message sent = c2g(nextMsgid(), "alice", 101, "order-1");
    await(store.acceptC2g(sent, "c1", fanout));

    Group closed = await(store.closeGroup("order-1"));
    assertTrue(closed.closed());
    assertEquals(sent.msgid(), closed.lastMsgid());
    assertEquals(closed, await(store.closeGroup("order-1")), "closing again changes nothing");
    assertEquals(closed, await(store.group("order-1")));

    assertRefused(
        Code.GONE, store.acceptC2g(c2g(nextMsgid(), "alice", 101, "order-1"), "c2", fanout));
    assertRefused(
        Code.GONE,
        store.changeMembers("order-1", List.of(invitee("dave", 201)), List.of(), nextMsgid(), MAX));
    assertRefused(
        Code.GONE, store.changeMembers("order-1", List.of(), List.of("bob"), nextMsgid(), MAX));
    assertEquals(closed, await(store.group("order-1")), "the refusals changed nothing");

    assertEquals(
        List.of(sent), await(store.groupHistory("order-1", 0, Long.MAX_VALUE, 10)).messages());
    assertEquals(
        new MessageStore.ReadMark(sent.msgid(), true),
        await(store.markGroupRead("bob", "order-1", sent.msgid())));
    assertEquals(
        List.of(MessageStore.Conversation.ofGroup("order-1", sent.msgid(), sent.msgid(), 0, sent)),
        await(store.conversations("bob", Long.MAX_VALUE, 10)).conversations());
  }

  @Test
  void aGroupMessageGetsTheAddressedRowOfEachMemberAndRowsForRecordedTerminalsOnly() {
    create("order-1", invitee("alice", 101), invitee("bob", 201), invitee("carol", 102));
    await(store.addTerminal("alice", 102, NOW));
    await(store.addTerminal("carol", 101, NOW));
    Message message = c2g(nextMsgid(), "alice", 101, "order-1");

    MessageStore.Accepted accepted = await(store.acceptC2g(message, "c1", fanout));

    Message bobs = message.forMember("bob", 201, 201);
    Message carols = message.forMember("carol", 102, 102);
    Message carolsAndroid = message.forMember("carol", 102, 101);
    Message alicesIos = message.forMember("alice", 101, 102);
    assertEquals(message.msgid(), accepted.msgid());
    assertEquals(message.senddate(), accepted.senddate());
    assertFalse(accepted.duplicate());
    assertEquals(
        Set.of(bobs, carols, carolsAndroid, alicesIos),
        Set.copyOf(accepted.copies()),
        "carol's addressed 102 needs no record, her web (103) was never recorded, nor alice's");
    assertEquals(Set.of("alice", "bob", "carol"), Set.copyOf(asked));

    assertEquals(List.of(bobs), await(store.pull("bob", 201, 0, 50)).messages());
    assertEquals(List.of(carols), await(store.pull("carol", 102, 0, 50)).messages());
    assertEquals(List.of(carolsAndroid), await(store.pull("carol", 101, 0, 50)).messages());
    assertEquals(List.of(alicesIos), await(store.pull("alice", 102, 0, 50)).messages());
    assertEquals(List.of(), await(store.pull("carol", 103, 0, 50)).messages());
    assertEquals(List.of(), await(store.pull("alice", 101, 0, 50)).messages());
    assertEquals(List.of(), await(store.pull("alice", 103, 0, 50)).messages());
  }

  @Test
  void aPulledGroupRowIsTheMembersCopyOfTheGroupMessage() {
    create("order-1", invitee("alice", 101), invitee("bob", 102));
    await(store.addTerminal("bob", 103, NOW));
    await(store.addTerminal("alice", 103, NOW));
    Message message = c2g(nextMsgid(), "alice", 101, "order-1");
    await(store.acceptC2g(message, "c1", fanout));

    Message addressed = await(store.pull("bob", 102, 0, 50)).messages().get(0);
    assertEquals(Kind.C2G, addressed.kind());
    assertEquals("order-1", addressed.groupId());
    assertEquals("bob", addressed.toUid());
    assertEquals(102, addressed.toAppcode());
    assertTrue(addressed.addressed());
    assertEquals("alice", addressed.fromUid());
    assertEquals(101, addressed.fromAppcode());
    assertEquals(message.content(), addressed.content());
    assertEquals(message.logid(), addressed.logid());

    Message other = await(store.pull("bob", 103, 0, 50)).messages().get(0);
    assertEquals("order-1", other.groupId());
    assertEquals("bob", other.toUid());
    assertEquals(102, other.toAppcode(), "the copy names the member's appcode");
    assertEquals(103, other.terminal());
    assertFalse(other.sync());

    Message sync = await(store.pull("alice", 103, 0, 50)).messages().get(0);
    assertEquals("order-1", sync.groupId());
    assertEquals(Kind.C2G, sync.kind());
    assertTrue(sync.sync(), "the sender's other terminal gets a sync copy");
    assertEquals("alice", sync.toUid());
    assertEquals(103, sync.inboxAppcode());
  }

  @Test
  void eachTerminalAcksItsOwnGroupRowAndNoC2cPositionMoves() {
    create("order-1", invitee("alice", 101), invitee("bob", 102));
    await(store.addTerminal("bob", 103, NOW));
    Message first = c2g(nextMsgid(), "alice", 101, "order-1");
    Message second = c2g(nextMsgid(), "alice", 101, "order-1");
    Message third = c2g(nextMsgid(), "alice", 101, "order-1");
    for (Message message : List.of(first, second, third)) {
      await(store.acceptC2g(message, "c" + message.msgid(), fanout));
    }

    assertTrue(await(store.removeOffline("bob", 102, first.msgid())), "a PUSH ack");
    assertFalse(await(store.removeOffline("bob", 102, first.msgid())));
    assertEquals(1, await(store.removeOfflineListed("bob", 102, List.of(second.msgid()))));
    assertEquals(
        List.of(first.forMember("bob", 102, 103), second.forMember("bob", 102, 103)),
        await(store.pull("bob", 103, 0, 2)).messages());
    assertEquals(2, await(store.removeOfflineUpTo("bob", 103, third.msgid())));

    assertEquals(List.of(third.forMember("bob", 102, 102)), pullAll("bob", 102));
    assertEquals(List.of(third.forMember("bob", 102, 103)), pullAll("bob", 103));
    assertEquals(
        MessageStore.Positions.NONE,
        await(store.positions("alice", Set.of("bob"))).get("bob"),
        "a group row is no delivery of a two-person conversation");
  }

  @Test
  void aRemovedMemberGetsNothingMoreAndKeepsWhatWaits() {
    create("order-1", invitee("alice", 101), invitee("bob", 201), invitee("carol", 102));
    Message before = c2g(nextMsgid(), "alice", 101, "order-1");
    await(store.acceptC2g(before, "c1", fanout));

    await(store.changeMembers("order-1", List.of(), List.of("bob"), nextMsgid(), MAX));
    asked.clear();
    Message after = c2g(nextMsgid(), "alice", 101, "order-1");
    MessageStore.Accepted accepted = await(store.acceptC2g(after, "c2", fanout));

    assertEquals(Set.of("alice", "carol"), Set.copyOf(asked), "the fanout never asked for bob");
    assertEquals(List.of(after.forMember("carol", 102, 102)), accepted.copies());
    assertEquals(List.of(before.forMember("bob", 201, 201)), pullAll("bob", 201));
    assertRefused(
        Code.FORBIDDEN, store.acceptC2g(c2g(nextMsgid(), "bob", 201, "order-1"), "c3", fanout));
    assertRefused(Code.FORBIDDEN, store.markGroupRead("bob", "order-1", after.msgid()));
    assertEquals(List.of(), await(store.conversations("bob", Long.MAX_VALUE, 10)).conversations());
  }

  @Test
  void aSenderWhoIsNoMemberIsRefused403AndNothingIsStored() {
    create("order-1", invitee("alice", 101), invitee("bob", 201));

    assertRefused(
        Code.FORBIDDEN, store.acceptC2g(c2g(nextMsgid(), "dave", 201, "order-1"), "c1", fanout));

    assertEquals(List.of(), await(store.groupHistory("order-1", 0, Long.MAX_VALUE, 10)).messages());
    assertEquals(List.of(), pullAll("bob", 201));
    assertEquals(0, await(store.group("order-1")).lastMsgid());
  }

  @Test
  void aResendOfAnAcceptedCmidIsADuplicateWhateverTheGroupsStateAndStoresNothing() {
    create("order-1", invitee("alice", 101), invitee("bob", 201));
    Message first = c2g(nextMsgid(), "alice", 101, "order-1");
    await(store.acceptC2g(first, "c1", fanout));

    MessageStore.Accepted again =
        await(store.acceptC2g(c2g(nextMsgid(), "alice", 101, "order-1"), "c1", fanout));
    assertEquals(new MessageStore.Accepted(first.msgid(), first.senddate(), true), again);
    assertTrue(again.copies().isEmpty());

    await(store.changeMembers("order-1", List.of(), List.of("alice"), nextMsgid(), MAX));
    await(store.closeGroup("order-1"));
    assertEquals(
        new MessageStore.Accepted(first.msgid(), first.senddate(), true),
        await(store.acceptC2g(c2g(nextMsgid(), "alice", 101, "order-1"), "c1", fanout)),
        "removed, and the group closed: still the first message");

    assertEquals(
        List.of(first), await(store.groupHistory("order-1", 0, Long.MAX_VALUE, 10)).messages());
    assertEquals(List.of(first.forMember("bob", 201, 201)), pullAll("bob", 201));
    assertEquals(first.msgid(), await(store.group("order-1")).lastMsgid());
  }

  @Test
  void theSameCmidFromAnotherSenderOrTerminalIsAnotherMessage() {
    create("order-1", invitee("alice", 101), invitee("bob", 201));
    Message fromAlice = c2g(nextMsgid(), "alice", 101, "order-1");
    Message fromAlicesIos = c2g(nextMsgid(), "alice", 102, "order-1");
    Message fromBob = c2g(nextMsgid(), "bob", 201, "order-1");

    for (Message message : List.of(fromAlice, fromAlicesIos, fromBob)) {
      assertFalse(await(store.acceptC2g(message, "c1", fanout)).duplicate());
    }

    assertEquals(
        List.of(fromBob, fromAlicesIos, fromAlice),
        await(store.groupHistory("order-1", 0, Long.MAX_VALUE, 10)).messages());
  }

  @Test
  void aMemberAtItsOfflineCapMissesTheMessageWhichTheOthersGet() {
    reopenWith(SqlStoreOptions.defaults().withQuotas(1, Duration.ZERO, Duration.ZERO));
    create("order-1", invitee("alice", 101), invitee("bob", 201), invitee("carol", 102));
    Message waiting = s2c(nextMsgid(), "bob", 201);
    await(store.storeOffline(List.of(waiting)));
    Message message = c2g(nextMsgid(), "alice", 101, "order-1");

    MessageStore.Accepted accepted = await(store.acceptC2g(message, "c1", fanout));

    assertFalse(accepted.duplicate());
    assertEquals(List.of(message.forMember("carol", 102, 102)), accepted.copies());
    assertEquals(List.of(waiting), pullAll("bob", 201));
    assertEquals(List.of(message.forMember("carol", 102, 102)), pullAll("carol", 102));
    assertEquals(
        List.of(message), await(store.groupHistory("order-1", 0, Long.MAX_VALUE, 10)).messages());
  }

  @Test
  void groupHistoryIsNewestFirstPagedAndBoundedByTheJoinPoint() {
    create("order-1", invitee("alice", 101), invitee("bob", 201));
    List<Message> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Message message = c2g(nextMsgid(), i % 2 == 0 ? "alice" : "bob", 101, "order-1");
      sent.add(message);
      await(store.acceptC2g(message, "c" + i, fanout));
    }

    MessageStore.Page first = await(store.groupHistory("order-1", 0, Long.MAX_VALUE, 2));
    assertEquals(List.of(sent.get(4), sent.get(3)), first.messages());
    assertTrue(first.more());
    Message entry = first.messages().get(0);
    assertEquals("", entry.toUid());
    assertEquals(0, entry.toAppcode());
    assertEquals("order-1", entry.groupId());
    assertEquals(Kind.C2G, entry.kind());

    MessageStore.Page rest =
        await(store.groupHistory("order-1", 0, first.messages().get(1).msgid(), 10));
    assertEquals(List.of(sent.get(2), sent.get(1), sent.get(0)), rest.messages());
    assertFalse(rest.more());

    MessageStore.Page sinceJoined =
        await(store.groupHistory("order-1", sent.get(1).msgid(), sent.get(4).msgid(), 10));
    assertEquals(List.of(sent.get(3), sent.get(2)), sinceJoined.messages());
    assertFalse(sinceJoined.more());
  }

  @Test
  void aMemberAddedLaterSeesTheGroupAtItsJoinPointAndOnlyLaterMessages() {
    create("order-1", invitee("alice", 101), invitee("bob", 201));
    Message early = c2g(nextMsgid(), "alice", 101, "order-1");
    await(store.acceptC2g(early, "c1", fanout));
    long joined = nextMsgid();
    await(store.changeMembers("order-1", List.of(invitee("dave", 201)), List.of(), joined, MAX));

    assertEquals(
        List.of(MessageStore.Conversation.ofGroup("order-1", joined, 0, 0, null)),
        await(store.conversations("dave", Long.MAX_VALUE, 10)).conversations(),
        "at the top at once, without the message before it joined");
    assertEquals(
        List.of(), await(store.groupHistory("order-1", joined, Long.MAX_VALUE, 10)).messages());
    assertEquals(List.of(), pullAll("dave", 201));

    Message later = c2g(nextMsgid(), "bob", 201, "order-1");
    await(store.acceptC2g(later, "c2", fanout));

    assertEquals(
        List.of(MessageStore.Conversation.ofGroup("order-1", later.msgid(), 0, 1, later)),
        await(store.conversations("dave", Long.MAX_VALUE, 10)).conversations());
    assertEquals(
        List.of(later),
        await(store.groupHistory("order-1", joined, Long.MAX_VALUE, 10)).messages());
    assertEquals(List.of(later.forMember("dave", 201, 201)), pullAll("dave", 201));
  }

  @Test
  void aGroupReadPositionOnlyMovesForwardAndIsTheMembers() {
    create("order-1", invitee("alice", 101), invitee("bob", 201));
    Message first = c2g(nextMsgid(), "alice", 101, "order-1");
    Message second = c2g(nextMsgid(), "alice", 101, "order-1");
    await(store.acceptC2g(first, "c1", fanout));
    await(store.acceptC2g(second, "c2", fanout));

    assertEquals(
        new MessageStore.ReadMark(second.msgid(), true),
        await(store.markGroupRead("bob", "order-1", second.msgid())));
    assertEquals(
        new MessageStore.ReadMark(second.msgid(), false),
        await(store.markGroupRead("bob", "order-1", first.msgid())));
    assertEquals(
        new MessageStore.ReadMark(second.msgid(), false),
        await(store.markGroupRead("bob", "order-1", second.msgid())));

    Group group = await(store.group("order-1"));
    assertEquals(second.msgid(), group.member("bob").read());
    assertEquals(0, group.member("alice").read(), "each member has its own position");
    assertRefused(Code.FORBIDDEN, store.markGroupRead("dave", "order-1", second.msgid()));
  }

  @Test
  void conversationsMergeGroupsAndPeersByLastActivityWithExactUnreadCounts() {
    create("order-1", invitee("alice", 101), invitee("bob", 201), invitee("carol", 102));
    Message fromCarol = c2c(nextMsgid(), "carol", 102, "bob", 201);
    await(store.acceptC2c(fromCarol, "d1"));
    Message g1 = c2g(nextMsgid(), "alice", 101, "order-1");
    Message g2 = c2g(nextMsgid(), "bob", 201, "order-1");
    Message g3 = c2g(nextMsgid(), "carol", 102, "order-1");
    Message g4 = c2g(nextMsgid(), "alice", 101, "order-1");
    for (Message message : List.of(g1, g2, g3, g4)) {
      await(store.acceptC2g(message, "c" + message.msgid(), fanout));
    }
    await(store.markGroupRead("bob", "order-1", g1.msgid()));
    Message fromDave = c2c(nextMsgid(), "dave", 201, "bob", 201);
    await(store.acceptC2c(fromDave, "d2"));
    long joined = nextMsgid();
    await(store.createGroup("order-2", "Order 2", List.of(invitee("bob", 201)), joined, MAX));

    List<MessageStore.Conversation> expected =
        List.of(
            MessageStore.Conversation.ofGroup("order-2", joined, 0, 0, null),
            new MessageStore.Conversation("dave", fromDave.msgid(), 0, 1, fromDave),
            MessageStore.Conversation.ofGroup("order-1", g4.msgid(), g1.msgid(), 2, g4),
            new MessageStore.Conversation("carol", fromCarol.msgid(), 0, 1, fromCarol));
    MessageStore.Conversations all = await(store.conversations("bob", Long.MAX_VALUE, 10));
    assertEquals(expected, all.conversations(), "bob's own g2 and the read g1 are not unread");
    assertFalse(all.more());

    List<MessageStore.Conversation> paged = new ArrayList<>();
    long before = Long.MAX_VALUE;
    for (int page = 0; page < expected.size(); page++) {
      MessageStore.Conversations one = await(store.conversations("bob", before, 1));
      assertEquals(1, one.conversations().size());
      assertEquals(page < expected.size() - 1, one.more(), "more after page " + page);
      paged.addAll(one.conversations());
      before = one.conversations().get(0).lastMsgid();
    }
    assertEquals(expected, paged);
    assertEquals(
        expected.subList(2, 4),
        await(store.conversations("bob", fromDave.msgid(), 2)).conversations());
    assertFalse(await(store.conversations("bob", fromDave.msgid(), 2)).more());

    assertEquals(
        List.of(MessageStore.Conversation.ofGroup("order-1", g4.msgid(), 0, 2, g4)),
        await(store.conversations("alice", Long.MAX_VALUE, 10)).conversations(),
        "alice's own g1 and g4 are not unread");
  }

  @Test
  void timelineRowsExpireWithHistoryWhileTheGroupStays() {
    reopenWith(
        new SqlStoreOptions(
            SqlStoreOptions.DEFAULT_MAX_QUEUED_WRITES,
            SqlStoreOptions.DEFAULT_MAX_BATCH_WRITES,
            SqlStoreOptions.DEFAULT_DEDUP_RETENTION,
            SqlStoreOptions.DEFAULT_PURGE_INTERVAL,
            SqlStoreOptions.DEFAULT_PURGE_BATCH_ROWS,
            SqlStoreOptions.DEFAULT_OFFLINE_MAX_PER_USER,
            Duration.ZERO,
            Duration.ofDays(2)));
    long now = NOW + Duration.ofDays(400).toMillis();
    Group group = create("order-1", invitee("alice", 101), invitee("bob", 201));
    Message old =
        sentAt(c2g(nextMsgid(), "alice", 101, "order-1"), now - Duration.ofDays(3).toMillis());
    Message recent =
        sentAt(c2g(nextMsgid(), "alice", 101, "order-1"), now - Duration.ofDays(1).toMillis());
    await(store.acceptC2g(old, "c1", fanout));
    await(store.acceptC2g(recent, "c2", fanout));
    await(store.markGroupRead("bob", "order-1", old.msgid()));

    int purged = 0;
    for (int round = 0; round < 5; round++) {
      purged += await(store.purgeExpired(now));
    }

    assertEquals(1, purged, "the old timeline row; offline rows are kept forever here");
    assertEquals(
        List.of(recent), await(store.groupHistory("order-1", 0, Long.MAX_VALUE, 10)).messages());
    Group kept = await(store.group("order-1"));
    assertEquals(group.members().size(), kept.members().size());
    assertEquals(recent.msgid(), kept.lastMsgid());
    assertEquals(old.msgid(), kept.member("bob").read());
    assertEquals(
        List.of(old.forMember("bob", 201, 201), recent.forMember("bob", 201, 201)),
        pullAll("bob", 201));
  }

  @Test
  void theLastOfAGroupWhoseMessagesExpiredIsNull() {
    reopenWith(SqlStoreOptions.defaults().withQuotas(0, Duration.ZERO, Duration.ofDays(2)));
    long now = NOW + Duration.ofDays(400).toMillis();
    long joined = nextMsgid();
    await(
        store.createGroup(
            "order-1",
            "Order 1",
            List.of(invitee("alice", 101), invitee("bob", 201)),
            joined,
            MAX));
    Message old =
        sentAt(c2g(nextMsgid(), "alice", 101, "order-1"), now - Duration.ofDays(3).toMillis());
    await(store.acceptC2g(old, "c1", fanout));

    for (int round = 0; round < 5; round++) {
      await(store.purgeExpired(now));
    }

    assertEquals(
        List.of(MessageStore.Conversation.ofGroup("order-1", old.msgid(), 0, 0, null)),
        await(store.conversations("bob", Long.MAX_VALUE, 10)).conversations());
  }

  @Test
  void groupsSurviveARestart() {
    create("order-1", invitee("alice", 101), invitee("bob", 201));
    Message message = c2g(nextMsgid(), "alice", 101, "order-1");
    await(store.acceptC2g(message, "c1", fanout));
    await(store.markGroupRead("bob", "order-1", message.msgid()));
    Group before = await(store.closeGroup("order-1"));

    await(store.close());
    store = await(openStore());

    assertEquals(before, await(store.group("order-1")));
    assertEquals(
        List.of(message), await(store.groupHistory("order-1", 0, Long.MAX_VALUE, 10)).messages());
    assertEquals(List.of(message.forMember("bob", 201, 201)), pullAll("bob", 201));
    assertEquals(
        List.of(
            MessageStore.Conversation.ofGroup(
                "order-1", message.msgid(), message.msgid(), 0, message)),
        await(store.conversations("bob", Long.MAX_VALUE, 10)).conversations());
    assertTrue(
        await(store.acceptC2g(c2g(nextMsgid(), "alice", 101, "order-1"), "c1", fanout))
            .duplicate());
  }

  @Test
  void badGroupInputFailsAtOnce() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            await(
                store.createGroup(
                    "g".repeat(65), "t", List.of(invitee("alice", 101)), nextMsgid(), MAX)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            await(
                store.createGroup(
                    "order-1", "t", List.of(invitee("a".repeat(65), 101)), nextMsgid(), MAX)));
    create("order-1", invitee("alice", 101));
    Message noGroup = c2g(nextMsgid(), "alice", 101, "order-1").inGroup(null);
    assertThrows(
        IllegalArgumentException.class, () -> await(store.acceptC2g(noGroup, "c1", fanout)));
    assertThrows(
        IllegalArgumentException.class,
        () -> await(store.groupHistory("order-1", 0, Long.MAX_VALUE, 0)));
  }

  protected long nextMsgid() {
    return nextMsgid.incrementAndGet();
  }

  protected static Group.Invitee invitee(String uid, int appcode) {
    return new Group.Invitee(uid, appcode);
  }

  /** Creates {@code groupId} with {@code members}, joining now. */
  protected Group create(String groupId, Group.Invitee... members) {
    return await(
        store.createGroup(groupId, "Title of " + groupId, List.of(members), nextMsgid(), MAX));
  }

  /** A group message as routing hands it to the store: addressed to no one. */
  protected static Message c2g(long msgid, String from, int fromAppcode, String groupId) {
    return new Message(
            msgid,
            Kind.C2G,
            from,
            fromAppcode,
            "",
            0,
            3,
            "to the group " + msgid,
            NOW,
            "log-g-" + msgid)
        .inGroup(groupId);
  }

  protected static Message c2c(long msgid, String from, int fromAppcode, String to, int toAppcode) {
    return new Message(
        msgid, Kind.C2C, from, fromAppcode, to, toAppcode, 1, "hi " + msgid, NOW, "log-" + msgid);
  }

  protected static Message s2c(long msgid, String to, int toAppcode) {
    return new Message(msgid, Kind.S2C, "", 0, to, toAppcode, 2, "order " + msgid, NOW, "log-s");
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
            message.logid())
        .inGroup(message.groupId());
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
    return all;
  }

  /** {@code refused} fails with a {@link GroupRefusedException} of {@code code}. */
  protected static void assertRefused(Code code, Future<?> refused) {
    try {
      refused.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      fail("expected a refusal " + code.value() + ", got success");
    } catch (TimeoutException e) {
      fail("no result within " + TIMEOUT_SECONDS + " s", e);
    } catch (Exception failure) {
      GroupRefusedException refusal = assertInstanceOf(GroupRefusedException.class, failure);
      assertEquals(code, refusal.code(), refusal.getMessage());
    }
  }

  protected static <T> T await(Future<T> future) {
    try {
      return future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return fail("no result within " + TIMEOUT_SECONDS + " s", e);
    }
  }
}
