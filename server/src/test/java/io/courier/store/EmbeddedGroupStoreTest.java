package io.courier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.message.Message;
import io.courier.protocol.Code;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/**
 * The group contract on the embedded RocksDB store, and what only it can be asked: requests that
 * share one write batch see each other in arrival order, a failing fanout refuses its message
 * alone, a join point counts for the msgid floor, and a database written before groups existed
 * opens and gets them.
 */
class EmbeddedGroupStoreTest extends GroupStoreContract {
  @TempDir Path dataDir;

  @Override
  protected Future<MessageStore> openStore(SqlStoreOptions options) {
    return EmbeddedStore.open(vertx, dataDir.toString(), options, RocksTuning.ofMegabytes(8, 8));
  }

  @Test
  void requestsQueuedTogetherSeeEachOtherInArrivalOrder() {
    Message beforeGroup = c2g(nextMsgid(), "alice", 101, "order-1");
    Message first = c2g(nextMsgid(), "alice", 101, "order-1");
    Message second = c2g(nextMsgid(), "alice", 101, "order-1");
    Message third = c2g(nextMsgid(), "alice", 101, "order-1");
    // queued without waiting: all but the first wait for one batch while the first commits
    Future<MessageStore.Accepted> tooEarly = store.acceptC2g(beforeGroup, "c0", fanout);
    Future<Group> created =
        store.createGroup(
            "order-1",
            "Order 1",
            List.of(invitee("alice", 101), invitee("bob", 201)),
            nextMsgid(),
            10);
    Future<MessageStore.Accepted> toBoth = store.acceptC2g(first, "c1", fanout);
    Future<MessageStore.ReadMark> read = store.markGroupRead("bob", "order-1", first.msgid());
    Future<Group> bobRemoved =
        store.changeMembers("order-1", List.of(), List.of("bob"), nextMsgid(), 10);
    Future<MessageStore.Accepted> notToBob = store.acceptC2g(second, "c2", fanout);
    Future<Group> daveAdded =
        store.changeMembers("order-1", List.of(invitee("dave", 201)), List.of(), nextMsgid(), 10);
    Future<MessageStore.Accepted> toDave = store.acceptC2g(third, "c3", fanout);

    assertRefused(Code.NOT_FOUND, tooEarly);
    await(created);
    assertEquals(List.of(first.forMember("bob", 201, 201)), await(toBoth).copies());
    assertEquals(new MessageStore.ReadMark(first.msgid(), true), await(read));
    await(bobRemoved);
    assertEquals(List.of(), await(notToBob).copies());
    await(daveAdded);
    assertEquals(List.of(third.forMember("dave", 201, 201)), await(toDave).copies());
    assertEquals(List.of(first.forMember("bob", 201, 201)), pullAll("bob", 201));
    assertEquals(List.of(third.forMember("dave", 201, 201)), pullAll("dave", 201));
    assertEquals(
        List.of(third, second, first),
        await(store.groupHistory("order-1", 0, Long.MAX_VALUE, 10)).messages());
  }

  @Test
  void aFailingFanoutRefusesItsMessageAloneAndStoresNothingOfIt() {
    create("order-1", invitee("alice", 101), invitee("bob", 201));
    Message failing = c2g(nextMsgid(), "alice", 101, "order-1");
    Message fine = c2g(nextMsgid(), "alice", 101, "order-1");
    GroupFanout broken =
        (message, member) -> {
          throw new IllegalStateException("no routing for " + member.uid());
        };

    Future<MessageStore.Accepted> refused = store.acceptC2g(failing, "c1", broken);
    Future<MessageStore.Accepted> accepted = store.acceptC2g(fine, "c2", fanout);

    assertInstanceOf(
        IllegalStateException.class, assertThrows(Exception.class, () -> await(refused)));
    assertFalse(await(accepted).duplicate());
    assertEquals(
        List.of(fine), await(store.groupHistory("order-1", 0, Long.MAX_VALUE, 10)).messages());
    assertEquals(List.of(fine.forMember("bob", 201, 201)), pullAll("bob", 201));
    assertFalse(await(store.acceptC2g(failing, "c1", fanout)).duplicate(), "the cmid was not kept");
  }

  @Test
  void aJoinPointIsAStoredMsgidForTheMsgidFloor() {
    create("order-1", invitee("alice", 101));
    Message message = c2g(nextMsgid(), "alice", 101, "order-1");
    long joined = nextMsgid();
    await(store.acceptC2g(message, "c1", fanout));
    await(store.changeMembers("order-1", List.of(invitee("bob", 201)), List.of(), joined, 10));

    await(store.close());
    store = await(openStore());

    assertEquals(joined, await(store.maxMsgid()), "a msgid issued after it must be above it");
  }

  @Test
  void aDatabaseFromBeforeGroupsOpensAndGetsThem() throws Exception {
    await(store.close());
    Path older = dataDir.resolve("older");
    Path files = older.resolve(EmbeddedStore.DIRECTORY);
    Files.createDirectories(files);
    List<String> before =
        List.of(
            "offline",
            "ungiven",
            "history",
            "dedup",
            "expiry",
            "inbox",
            "terminal",
            "conversation");
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
    before.forEach(
        name -> descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8))));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options =
            new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        RocksDB db = RocksDB.open(options, files.toString(), descriptors, handles)) {
      handles.forEach(ColumnFamilyHandle::close);
    }

    store =
        await(
            EmbeddedStore.open(
                vertx,
                older.toString(),
                SqlStoreOptions.defaults(),
                RocksTuning.ofMegabytes(8, 8)));
    create("order-1", invitee("alice", 101), invitee("bob", 201));
    Message message = c2g(nextMsgid(), "alice", 101, "order-1");
    await(store.acceptC2g(message, "c1", fanout));

    assertEquals(List.of(message.forMember("bob", 201, 201)), pullAll("bob", 201));
  }
}
