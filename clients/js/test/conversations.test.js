// READ, read receipts, `state`, sync copies and CONVERSATIONS against a real node (docs/web.md).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Backoff, CourierClient, MessageState } from '../src/courier.js';
import { next, startNode, token, uid } from '../support/node.js';

let node;
const clients = [];

before(async () => {
  node = await startNode();
});

after(async () => {
  await Promise.all(clients.map((client) => client.stop()));
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

test('READ moves the read position forward only, and the sender gets a read receipt and state read', async () => {
  const alice = await online(uid('alice'));
  const bob = await online(uid('bob'));
  const both = new Promise((resolve) => {
    const got = [];
    bob.on('message', ({ message }) => got.push(message) === 2 && resolve(got));
  });
  const first = await alice.sendC2C({ toUid: bob.uid, toAppcode: 103, content: 'one' });
  const second = await alice.sendC2C({ toUid: bob.uid, toAppcode: 103, content: 'two' });
  const [received] = await both;
  assert.equal(received.state, MessageState.DELIVERED, 'a received message is delivered until read');
  assert.equal(bob.stateOf(received), MessageState.DELIVERED);

  const receipt = next(alice, 'read');
  assert.equal((await bob.read({ peerUid: alice.uid, peerAppcode: 103, upto: second.msgid })).read_upto, second.msgid);
  assert.deepEqual(await receipt, { reader: bob.uid, readerAppcode: 103, peerUid: alice.uid, upto: second.msgid, sync: false });
  assert.equal(bob.stateOf(received), MessageState.READ, 'the reader sees its READ');
  const sentFirst = { msgid: first.msgid, kind: 'c2c', from_uid: alice.uid, to_uid: bob.uid, state: MessageState.SENT };
  assert.equal(alice.stateOf(sentFirst), MessageState.READ, 'the receipt covers older messages');

  assert.equal((await bob.read({ peerUid: alice.uid, peerAppcode: 103, upto: first.msgid })).read_upto, second.msgid, 'never back');
  const page = await alice.history({ peerUid: bob.uid });
  assert.deepEqual(page.msgs.map((m) => m.state), [MessageState.READ, MessageState.READ]);
});

test('a message sent from another terminal of the user comes as a sync copy, and so does its READ', async () => {
  const carol = uid('carol');
  const web = await online(carol, 103);
  const phone = await online(carol, 101);
  const dave = await online(uid('dave'));
  const copy = next(phone, 'message');
  const sent = await web.sendC2C({ toUid: dave.uid, toAppcode: 103, content: 'from the web' });
  const { message, sync, source } = await copy;
  assert.equal(sync, true);
  assert.equal(source, 'push');
  assert.equal(message.msgid, sent.msgid);
  assert.equal(message.from_uid, carol);
  assert.equal(message.to_uid, dave.uid);
  assert.equal(phone.stateOf(message), message.state);

  const answer = next(web, 'message', (d) => d.message.from_uid === dave.uid);
  const onPhone = next(phone, 'message', (d) => d.message.from_uid === dave.uid);
  const reply = await dave.sendC2C({ toUid: carol, toAppcode: 103, content: 'got it' });
  assert.equal((await answer).sync, false);
  assert.equal((await onPhone).sync, false, "the user's other terminal gets the peer's message as its own");
  assert.equal((await onPhone).message.msgid, reply.msgid);
  const readElsewhere = next(phone, 'read');
  await web.read({ peerUid: dave.uid, peerAppcode: 103, upto: reply.msgid });
  assert.deepEqual(await readElsewhere, { reader: carol, readerAppcode: 103, peerUid: dave.uid, upto: reply.msgid, sync: true });
  assert.equal(phone.stateOf((await onPhone).message), MessageState.READ);
});

test('CONVERSATIONS lists by last activity with exact unread counts, paged by last_msgid', async () => {
  const erin = await online(uid('erin'));
  const peers = [await online(uid('frank')), await online(uid('grace')), await online(uid('heidi'))];
  const last = [];
  for (const [i, peer] of peers.entries()) {
    for (let n = 0; n <= i; n++) last[i] = await peer.sendC2C({ toUid: erin.uid, toAppcode: 103, content: `${peer.uid} ${n}` });
  }
  const mine = await erin.sendC2C({ toUid: peers[0].uid, toAppcode: 103, content: 'my own is never unread' });

  const page = await erin.conversations({ limit: 2 });
  assert.equal(page.more, true);
  assert.deepEqual(page.convs.map((c) => c.peer_uid), [peers[0].uid, peers[2].uid]);
  const listed = [];
  for await (const conversation of erin.allConversations({ pageSize: 2 })) listed.push(conversation);
  assert.deepEqual(listed.map((c) => [c.peer_uid, c.unread]), [[peers[0].uid, 1], [peers[2].uid, 3], [peers[1].uid, 2]]);
  assert.equal(listed[0].last_msgid, mine.msgid);
  assert.equal(listed[0].last.content, 'my own is never unread');
  assert.equal(listed[0].read_upto, '0');

  await erin.read({ peerUid: peers[2].uid, peerAppcode: 103, upto: last[2].msgid });
  const [, heidi] = (await erin.conversations({ limit: 2 })).convs;
  assert.deepEqual([heidi.peer_uid, heidi.unread, heidi.read_upto], [peers[2].uid, 0, last[2].msgid]);
});
