package io.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.message.Message;
import io.courier.protocol.Code;
import io.courier.testkit.CuttableProxy;
import io.courier.testkit.LocalServices;
import io.courier.testkit.MySqlDatabases;
import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The group contract on two MySQL/MariaDB shards: the contract's groups and members fall on both
 * (its groups, alice and carol on shard 1; bob and dave on shard 0), so its messages are written
 * across shards, their membership read on the group's shard.
 */
class MySqlShardedGroupStoreTest extends GroupStoreContract {
  private static final List<String> DATABASES =
      List.of("grp_sql_group_shard0", "grp_sql_group_shard1");
  private boolean databasesFresh;

  @BeforeAll
  static void mysqlRuns() {
    LocalServices.requireMysql();
  }

  @Override
  protected Future<MessageStore> openStore(SqlStoreOptions options) {
    if (!databasesFresh) {
      MySqlDatabases.recreate(vertx, DATABASES);
      databasesFresh = true;
    }
    return MySqlStore.open(vertx, DATABASES.stream().map(MySqlDatabases::uri).toList(), options);
  }

  /**
   * A group on shard 0 with two members on each shard; shard 1 goes down after the group's
   * transaction and before the members' rows there: the sender gets a failure, and its resend with
   * the same cmid writes the missing rows with the first msgid. No member loses the message, none
   * gets two.
   */
  @Test
  void aResendRepairsAGroupMessageWhoseMemberShardFailedMidFanOut() {
    String groupId = uidOnShard(0, "group");
    String alice = uidOnShard(0, "alice");
    String bob = uidOnShard(0, "bob");
    String carol = uidOnShard(1, "carol");
    String dave = uidOnShard(1, "dave");
    await(store.close());
    CuttableProxy proxy = CuttableProxy.inFrontOfMysql(vertx);
    store =
        await(
            MySqlStore.open(
                vertx,
                List.of(
                    MySqlDatabases.uri(DATABASES.get(0)),
                    MySqlDatabases.uri("127.0.0.1", proxy.port(), DATABASES.get(1))),
                SqlStoreOptions.defaults()));
    await(
        store.createGroup(
            groupId,
            "four",
            List.of(
                invitee(alice, 101), invitee(bob, 201), invitee(carol, 201), invitee(dave, 102)),
            nextMsgid(),
            10));
    Message first = c2g(nextMsgid(), alice, 101, groupId);

    proxy.cut();
    Exception failure =
        assertThrows(Exception.class, () -> store.acceptC2g(first, "c1", fanout).await());
    assertFalse(failure instanceof GroupRefusedException, "a failure of the store: 503");
    assertEquals(List.of(first.forMember(bob, 201, 201)), pullAll(bob, 201));
    assertEquals(1, await(store.removeOfflineUpTo(bob, 201, first.msgid())), "bob has it");
    assertEquals(
        List.of(first), await(store.groupHistory(groupId, 0, Long.MAX_VALUE, 10)).messages());

    proxy.restore();
    assertEquals(List.of(), pullAll(carol, 201), "the first attempt wrote nothing on shard 1");
    Message resend = c2g(nextMsgid(), alice, 101, groupId);
    assertEquals(
        new MessageStore.Accepted(first.msgid(), first.senddate(), true),
        await(store.acceptC2g(resend, "c1", fanout)),
        "the first msgid, as for any resend");

    assertEquals(List.of(first.forMember(carol, 201, 201)), pullAll(carol, 201));
    assertEquals(List.of(first.forMember(dave, 102, 102)), pullAll(dave, 102));
    assertEquals(
        List.of(), pullAll(bob, 201), "bob's row, on the group's shard, is not written again");
    assertEquals(
        List.of(first), await(store.groupHistory(groupId, 0, Long.MAX_VALUE, 10)).messages());
    assertEquals(first.msgid(), await(store.group(groupId)).lastMsgid());
    assertEquals(List.of("1"), sql(0, "SELECT fanned_out FROM group_message"));

    assertEquals(1, await(store.removeOfflineUpTo(carol, 201, first.msgid())));
    assertTrue(await(store.acceptC2g(resend, "c1", fanout)).duplicate());
    assertEquals(List.of(), pullAll(carol, 201), "once fanned out, a resend writes nothing");
    await(store.close());
    proxy.cut();
    store = await(openStore());
  }

  /** Membership changes write the index rows on each member's shard, and remove them. */
  @Test
  void membersIndexRowsLiveOnTheirOwnShards() {
    String groupId = uidOnShard(0, "group");
    String alice = uidOnShard(0, "alice");
    String carol = uidOnShard(1, "carol");
    await(
        store.createGroup(
            groupId, "two", List.of(invitee(alice, 101), invitee(carol, 201)), nextMsgid(), 10));
    assertEquals(List.of(alice), sql(0, "SELECT uid FROM user_group"));
    assertEquals(List.of(carol), sql(1, "SELECT uid FROM user_group"));

    await(store.changeMembers(groupId, List.of(), List.of(carol), nextMsgid(), 10));
    assertEquals(List.of(), sql(1, "SELECT uid FROM user_group"));
    assertEquals(List.of(), await(store.conversations(carol, Long.MAX_VALUE, 10)).conversations());
    assertEquals(1, await(store.conversations(alice, Long.MAX_VALUE, 10)).conversations().size());
  }

  /**
   * Version 7 adds the group tables and offline_message.group_id to version-6 shards, keeps the
   * waiting rows, and runs again harmlessly.
   */
  @Test
  void theGroupsMigrationUpgradesVersionSixShardsAndRunsTwice() {
    String bob = uidOnShard(1, "bob");
    Message waiting = s2c(nextMsgid(), bob, 201);
    await(store.storeOffline(List.of(waiting)));
    await(store.close());
    String[] toVersion6 = {
      "DROP TABLE chat_group, group_member, group_message, user_group",
      "ALTER TABLE offline_message DROP COLUMN group_id",
      "UPDATE schema_version SET version = 6"
    };
    sql(0, toVersion6);
    sql(1, toVersion6);

    String check =
        "SELECT CONCAT((SELECT version FROM schema_version), ' ',"
            + " (SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE()"
            + " AND column_name = 'group_id' AND table_name IN ('offline_message', 'chat_group',"
            + " 'group_member', 'group_message', 'user_group'))) AS v";
    for (int run = 0; run < 2; run++) {
      store = await(openStore());
      await(store.close());
      for (int shard = 0; shard < 2; shard++) {
        assertEquals(List.of("7 5"), sql(shard, check));
        sql(shard, "UPDATE schema_version SET version = 6");
      }
    }
    store = await(openStore());
    assertEquals(List.of(waiting), pullAll(bob, 201));
    String groupId = uidOnShard(0, "group");
    await(store.createGroup(groupId, "after", List.of(invitee(bob, 201)), nextMsgid(), 10));
    Message message = c2g(nextMsgid(), bob, 201, groupId);
    assertFalse(await(store.acceptC2g(message, "c1", fanout)).duplicate());
    assertEquals(
        List.of(message), await(store.groupHistory(groupId, 0, Long.MAX_VALUE, 10)).messages());
  }

  /**
   * A join point is a msgid: the msgid generator's floor counts it, or a restarted node could give
   * a later message a msgid that its member does not see.
   */
  @Test
  void aJoinPointCountsForTheMsgidFloor() {
    long joined = nextMsgid() + 1_000_000;
    await(
        store.createGroup(
            uidOnShard(1, "group"),
            "t",
            List.of(invitee(uidOnShard(0, "alice"), 101)),
            joined,
            10));

    assertEquals(joined, await(store.maxMsgid()));
  }

  /**
   * A fan-out that throws refuses its own message, storing nothing of it, and not the message
   * queued with it.
   */
  @Test
  void aFanoutThatThrowsRefusesItsMessageAlone() {
    String groupId = uidOnShard(0, "group");
    String alice = uidOnShard(0, "alice");
    String carol = uidOnShard(1, "carol");
    await(
        store.createGroup(
            groupId, "t", List.of(invitee(alice, 101), invitee(carol, 201)), nextMsgid(), 10));
    GroupFanout broken =
        (message, member) -> {
          throw new IllegalStateException("routing broke");
        };
    Message bad = c2g(nextMsgid(), alice, 101, groupId);
    Message good = c2g(nextMsgid(), alice, 101, groupId);

    // the first write keeps the shard's writer busy, so that the next two share a batch
    Future<Void> busy = store.storeOffline(List.of(s2c(nextMsgid(), alice, 201)));
    Future<MessageStore.Accepted> refused = store.acceptC2g(bad, "c1", broken);
    Future<MessageStore.Accepted> accepted = store.acceptC2g(good, "c2", fanout);
    await(busy);

    assertThrows(IllegalStateException.class, refused::await);
    assertFalse(await(accepted).duplicate());
    assertEquals(
        List.of(good), await(store.groupHistory(groupId, 0, Long.MAX_VALUE, 10)).messages());
    assertEquals(List.of(good.forMember(carol, 201, 201)), pullAll(carol, 201));
    assertFalse(
        await(store.acceptC2g(bad, "c1", fanout)).duplicate(), "the refused cmid was not stored");
  }

  /**
   * Group requests queued together take effect in the order they were queued: a message before a
   * removal reaches the removed member, one after it does not; a member added between two messages
   * gets only the second; a message queued before its group's creation is refused 404.
   */
  @Test
  void groupRequestsQueuedTogetherSeeEachOtherInArrivalOrder() {
    String groupId = uidOnShard(0, "group");
    String later = uidOnShard(0, "later");
    String alice = uidOnShard(0, "alice");
    String bob = uidOnShard(0, "bob");
    String dave = uidOnShard(0, "dave");
    String carol = uidOnShard(1, "carol");
    await(
        store.createGroup(
            groupId,
            "t",
            List.of(invitee(alice, 101), invitee(bob, 201), invitee(carol, 201)),
            nextMsgid(),
            10));
    Message first = c2g(nextMsgid(), alice, 101, groupId);
    Message second = c2g(nextMsgid(), alice, 101, groupId);
    Message third = c2g(nextMsgid(), alice, 101, groupId);
    Message early = c2g(nextMsgid(), alice, 101, later);
    Message inLater = c2g(nextMsgid(), alice, 101, later);

    // the first write keeps the group shard's writer busy, so that the others queue together
    Future<Void> busy = store.storeOffline(List.of(s2c(nextMsgid(), alice, 201)));
    Future<MessageStore.Accepted> sentFirst = store.acceptC2g(first, "c1", fanout);
    Future<Group> removed = store.changeMembers(groupId, List.of(), List.of(bob), nextMsgid(), 10);
    Future<MessageStore.Accepted> sentSecond = store.acceptC2g(second, "c2", fanout);
    long joined = nextMsgid();
    Future<Group> added =
        store.changeMembers(groupId, List.of(invitee(dave, 201)), List.of(), joined, 10);
    Future<MessageStore.Accepted> sentThird = store.acceptC2g(third, "c3", fanout);
    Future<MessageStore.Accepted> sentEarly = store.acceptC2g(early, "c4", fanout);
    Future<Group> created =
        store.createGroup(later, "later", List.of(invitee(alice, 101)), nextMsgid(), 10);
    Future<MessageStore.Accepted> sentInLater = store.acceptC2g(inLater, "c5", fanout);
    await(busy);

    for (Future<MessageStore.Accepted> sent : List.of(sentFirst, sentSecond, sentThird)) {
      assertFalse(await(sent).duplicate());
    }
    assertEquals(first.msgid(), await(removed).lastMsgid(), "the removal saw the first message");
    assertEquals(second.msgid(), await(added).lastMsgid(), "the addition saw the second");
    assertEquals(List.of(alice, carol), uids(await(removed)));
    assertEquals(List.of(alice, carol, dave), uids(await(added)));
    assertEquals(List.of(first.forMember(bob, 201, 201)), pullAll(bob, 201));
    assertEquals(List.of(third.forMember(dave, 201, 201)), pullAll(dave, 201));
    assertEquals(
        List.of(first, second, third).stream().map(m -> m.forMember(carol, 201, 201)).toList(),
        pullAll(carol, 201));
    assertRefused(Code.NOT_FOUND, sentEarly);
    assertEquals(1, await(created).members().size());
    assertFalse(await(sentInLater).duplicate());
    assertEquals(
        List.of(inLater), await(store.groupHistory(later, 0, Long.MAX_VALUE, 10)).messages());
  }

  private static List<String> uids(Group group) {
    return group.members().stream().map(Group.Member::uid).toList();
  }

  private static String uidOnShard(int shard, String prefix) {
    for (int i = 0; ; i++) {
      String uid = prefix + "-" + i;
      if (Shards.of(uid, DATABASES.size()) == shard) {
        return uid;
      }
    }
  }

  /** Runs {@code statements} on shard {@code shard}; the result is the last one's first column. */
  private static List<String> sql(int shard, String... statements) {
    Pool pool =
        MySQLBuilder.pool()
            .connectingTo(MySqlDatabases.uri(DATABASES.get(shard)))
            .using(vertx)
            .build();
    try {
      List<String> values = new ArrayList<>();
      for (String statement : statements) {
        values.clear();
        pool.query(statement)
            .execute()
            .await()
            .forEach(row -> values.add(String.valueOf(row.getValue(0))));
      }
      return values;
    } finally {
      pool.close().await();
    }
  }
}
