// Group conversations (docs/groups.md) against a real node: a business makes the groups on the TCP
// bridge, members send with sendGroup (C2G), read HISTORY and READ by group, and see the groups in
// their conversation list.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Backoff, CourierClient, CourierError, MessageState } from '../src/courier.js';
import { connectBridge } from '../support/bridge.js';
import { next, startNode, token, uid } from '../support/node.js';

const BRIDGE_SECRET = 'js-client-tests-bridge-secret-0123456789';

let node;
let business;
const clients = [];

before(async () => {
  node = await startNode({ COURIER_BRIDGE_SECRET: BRIDGE_SECRET });
  business = await connectBridge(node.ports.bridge, BRIDGE_SECRET);
});

after(async () => {
  await Promise.all(clients.map((client) => client.stop()));
  business?.close();
  await node?.stop();
});

/** A started client of uid on appcode (103, the web app of the user system 101-103, by default). */
async function online(user, appcode = 103) {
  const made = new CourierClient({
    url: node.url,
    uid: user,
    appcode,
    token: () => token(user, appcode),
    backoff: new Backoff({ baseMs: 50, capMs: 200 }),
    requestTimeoutMs: 5_000,
  });
  clients.push(made);
  const caughtUp = next(made, 'caughtUp');
  await made.start();
  await caughtUp;
  return made;
}

/** The business creates a group of `members` (uids on appcode 103); resolves with its id. */
async function group(title, ...members) {
  const groupId = uid('order');
  const answer = await business.request('courier.group.create', {
    group_id: groupId,
    title,
    members: members.map((member) => ({ uid: member, appcode: 103 })),
  });
  assert.equal(answer.code, 0, JSON.stringify(answer));
  return groupId;
}

/** Resolves with the `message` details of `client` that `accept`s, once `count` have come. */
function messages(client, count, accept = () => true) {
  const got = [];
  return new Promise((resolve) => {
    const off = client.on('message', (detail) => {
      if (accept(detail) && got.push(detail) === count) {
        off();
        resolve(got);
      }
    });
  });
}

test("a member's group message reaches the other members once, as kind c2g with its groupId", async () => {
  const [alice, bob, carol] = [await online(uid('alice')), await online(uid('bob')), await online(uid('carol'))];
  const groupId = await group('Order 42', alice.uid, bob.uid, carol.uid);
  const atBob = next(bob, 'message');
  const atCarol = next(carol, 'message');
  const sent = await alice.sendGroup(groupId, 1, 'Where is <font color="red">my order</font>?', { cmid: 'group-cmid-1' });
  for (const { message, source, sync, groupId: inGroup } of [await atBob, await atCarol]) {
    assert.equal(inGroup, groupId);
    assert.equal(source, 'push');
    assert.equal(sync, false);
    assert.equal(message.kind, 'c2g');
    assert.equal(message.group_id, groupId);
    assert.equal(message.msgid, sent.msgid);
    assert.equal(message.from_uid, alice.uid);
    assert.equal(message.content, 'Where is <font color="red">my order</font>?');
  }
  const again = await alice.sendGroup(groupId, 1, 'Where is <font color="red">my order</font>?', { cmid: 'group-cmid-1' });
  assert.deepEqual(again, sent, 'a resend with the same cmid is the same message');
  const seen = [];
  bob.on('message', ({ message }) => seen.push(message.msgid));
  const marker = next(bob, 'message', (d) => d.message.content === 'after the resend');
  await carol.sendGroup(groupId, 1, 'after the resend');
  await marker;
  assert.equal(seen.includes(sent.msgid), false, 'the resend made no second message');
});

test('a send to no group, to a group of others or to a closed group is refused at once', async () => {
  const dave = await online(uid('dave'));
  const erin = await online(uid('erin'));
  await assert.rejects(dave.sendGroup(uid('no-such-group'), 1, 'x'), (e) => e instanceof CourierError && e.code === 404);
  const theirs = await group('Not yours', erin.uid);
  await assert.rejects(dave.sendGroup(theirs, 1, 'x'), (e) => e.code === 403);
  await assert.rejects(dave.history({ groupId: theirs }), (e) => e.code === 403);
  const closed = await group('Delivered', dave.uid, erin.uid);
  const kept = await dave.sendGroup(closed, 1, 'thanks');
  assert.equal((await business.request('courier.group.close', { group_id: closed })).code, 0);
  await assert.rejects(dave.sendGroup(closed, 1, 'one more thing'), (e) => e.code === 410);
  const page = await erin.history({ groupId: closed });
  assert.deepEqual(page.msgs.map((m) => m.msgid), [kept.msgid], 'a closed group keeps its history');
});

test('HISTORY and READ by group, the group in CONVERSATIONS with exact unread, and a sync read receipt', async () => {
  const frank = await online(uid('frank'));
  const grace = uid('grace');
  const web = await online(grace, 103);
  const phone = await online(grace, 101);
  const groupId = await group('Order 43', frank.uid, grace);
  const arriving = messages(web, 3, (d) => d.message.from_uid === frank.uid);
  const first = await frank.sendGroup(groupId, 1, 'one');
  const second = await frank.sendGroup(groupId, 1, 'two');
  const own = await web.sendGroup(groupId, 1, 'mine is never unread');
  const third = await frank.sendGroup(groupId, 1, 'three');
  const received = await arriving;
  assert.deepEqual(received.map((d) => d.message.msgid), [first.msgid, second.msgid, third.msgid]);
  assert.equal(web.stateOf(received[0].message), MessageState.DELIVERED);

  const page = await web.history({ groupId, limit: 3 });
  assert.deepEqual(page.msgs.map((m) => [m.msgid, m.from_uid]), [[third.msgid, frank.uid], [own.msgid, grace], [second.msgid, frank.uid]]);
  assert.equal(page.more, true);
  assert.ok(page.msgs.every((m) => m.kind === 'c2g' && m.group_id === groupId));
  const older = await web.history({ groupId, before: second.msgid });
  assert.deepEqual(older.msgs.map((m) => m.msgid), [first.msgid]);

  const listed = (await web.conversations({ limit: 10 })).convs.find((c) => c.groupId === groupId);
  assert.deepEqual([listed.group_id, listed.title, listed.last_msgid, listed.unread], [groupId, 'Order 43', third.msgid, 3]);
  assert.equal(listed.last.content, 'three');

  const readElsewhere = next(phone, 'read');
  assert.equal((await web.read({ groupId, upto: second.msgid })).read_upto, second.msgid);
  assert.deepEqual(await readElsewhere, { reader: grace, readerAppcode: 103, groupId, upto: second.msgid, sync: true });
  assert.equal(web.stateOf(received[1].message), MessageState.READ);
  assert.equal(web.stateOf(received[2].message), MessageState.DELIVERED);
  assert.equal(phone.stateOf(received[1].message), MessageState.READ, 'the receipt raised the other terminal');
  assert.equal((await web.read({ groupId, upto: first.msgid })).read_upto, second.msgid, 'never back');
  const after = (await phone.conversations({ limit: 10 })).convs.find((c) => c.groupId === groupId);
  assert.deepEqual([after.read_upto, after.unread], [second.msgid, 1]);
});

test("a member's messages from another terminal come as sync copies; missed ones come by PULL", async () => {
  const heidi = uid('heidi');
  const web = await online(heidi, 103);
  const phone = await online(heidi, 101);
  const ivan = uid('ivan');
  const groupId = await group('Order 44', heidi, ivan);
  const copy = next(phone, 'message');
  const sent = await web.sendGroup(groupId, 1, 'from the web');
  const { message, sync, groupId: inGroup } = await copy;
  assert.deepEqual([message.msgid, sync, inGroup, message.from_uid], [sent.msgid, true, groupId, heidi]);

  const late = await online(ivan);
  const history = await late.history({ groupId });
  assert.deepEqual(history.msgs.map((m) => m.msgid), [sent.msgid]);
  const pulledLater = uid('judy');
  assert.equal((await business.request('courier.group.members', { group_id: groupId, add: [{ uid: pulledLater, appcode: 103 }] })).code, 0);
  const missed = await web.sendGroup(groupId, 1, 'while you were away');
  const judy = new CourierClient({ url: node.url, uid: pulledLater, appcode: 103, token: () => token(pulledLater, 103) });
  clients.push(judy);
  const pulled = next(judy, 'message');
  await judy.start();
  const got = await pulled;
  assert.deepEqual([got.source, got.message.msgid, got.groupId], ['pull', missed.msgid, groupId]);
});

test('a group message written while the connection is down is sent after the reconnection, once', async () => {
  const kate = await online(uid('kate'));
  const leo = await online(uid('leo'));
  const groupId = await group('Order 45', kate.uid, leo.uid);
  const seen = [];
  leo.on('message', ({ message }) => seen.push(message.msgid));
  const arrived = next(leo, 'message', (d) => d.message.content === 'queued while offline');
  const back = next(kate, 'online');
  kate.socket.close();
  const pending = kate.sendGroup(groupId, 1, 'queued while offline');
  await back;
  const sent = await pending;
  assert.equal((await arrived).message.msgid, sent.msgid);
  leo.deliver({ msgid: sent.msgid, kind: 'c2g', group_id: groupId }, 'pull');
  assert.deepEqual(seen, [sent.msgid], 'each msgid once');
});
