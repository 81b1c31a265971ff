// The client against a real node started from the built jar, over the WebSocket gate.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Backoff, CourierClient, CourierError } from '../src/courier.js';
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

/** A client of uid on appcode 103 (the web app), quick to reconnect. */
function client(user, options = {}) {
  const made = new CourierClient({
    url: node.url,
    uid: user,
    appcode: 103,
    token: () => token(user, 103),
    backoff: new Backoff({ baseMs: 50, capMs: 200 }),
    requestTimeoutMs: 5_000,
    ...options,
  });
  clients.push(made);
  return made;
}

test('logs in with a token and exchanges C2C messages, acked and in order', async () => {
  const alice = client(uid('alice'));
  const bob = client(uid('bob'));
  const online = await alice.start();
  assert.equal(online.code, 0);
  assert.equal(typeof online.session, 'string');
  await bob.start();
  const received = [];
  const two = new Promise((resolve) =>
    bob.on('message', (detail) => {
      received.push(detail);
      if (received.length === 2) resolve();
    }),
  );
  const first = await alice.sendC2C({ toUid: bob.uid, toAppcode: 103, content: 'hello <font color="red">bob</font>' });
  const second = await alice.sendC2C({ toUid: bob.uid, toAppcode: 103, content: 'second' });
  await two;
  assert.deepEqual(received.map((d) => d.message.msgid), [first.msgid, second.msgid]);
  assert.equal(received[0].source, 'push');
  assert.equal(received[0].message.from_uid, alice.uid);
  assert.equal(received[0].message.content, 'hello <font color="red">bob</font>');
});

test('a resend with the same cmid is the same message', async () => {
  const carol = client(uid('carol'));
  await carol.start();
  const to = uid('nobody');
  const one = await carol.sendC2C({ toUid: to, toAppcode: 103, content: 'x', cmid: 'fixed-cmid-1' });
  const again = await carol.sendC2C({ toUid: to, toAppcode: 103, content: 'x', cmid: 'fixed-cmid-1' });
  assert.equal(again.msgid, one.msgid);
});

test('messages sent while offline come by PULL at login, once, and are acknowledged', async () => {
  const dave = uid('dave');
  const erin = client(uid('erin'));
  await erin.start();
  const sent = await erin.sendC2C({ toUid: dave, toAppcode: 103, content: 'while you were away' });

  const first = client(dave);
  const pulled = next(first, 'message');
  const caughtUp = next(first, 'caughtUp');
  await first.start();
  const got = await pulled;
  assert.equal(got.source, 'pull');
  assert.equal(got.message.msgid, sent.msgid);
  assert.equal((await caughtUp).pulled, 1);
  await first.stop();

  const second = client(dave);
  const nothingLeft = next(second, 'caughtUp');
  await second.start();
  assert.equal((await nothingLeft).pulled, 0, 'OFFLINE_ACK removed what the first login pulled');
});

test('reconnects after the connection drops, resends what waited, and drops duplicates', async () => {
  const frank = client(uid('frank'));
  const grace = client(uid('grace'));
  await frank.start();
  await grace.start();
  const seen = [];
  grace.on('message', (detail) => seen.push(detail.message.msgid));
  const arrived = next(grace, 'message', (d) => d.message.content === 'queued while offline');

  const back = next(frank, 'online');
  const retry = next(frank, 'retry');
  frank.socket.close();
  const pending = frank.sendC2C({ toUid: grace.uid, toAppcode: 103, content: 'queued while offline' });
  assert.ok((await retry).delayMs <= 200);
  await back;
  const sent = await pending;
  assert.equal((await arrived).message.msgid, sent.msgid);
  // the same message handed again (a PUSH resend, or a PULL page) is not a new message
  grace.deliver({ msgid: sent.msgid, kind: 'c2c' }, 'pull');
  assert.deepEqual(seen.filter((m) => m === sent.msgid), [sent.msgid]);
});

test('HISTORY returns both directions, newest first', async () => {
  const heidi = client(uid('heidi'));
  const ivan = client(uid('ivan'));
  await heidi.start();
  await ivan.start();
  const a = await heidi.sendC2C({ toUid: ivan.uid, toAppcode: 103, content: 'one' });
  const b = await ivan.sendC2C({ toUid: heidi.uid, toAppcode: 103, content: 'two' });
  const page = await heidi.history({ peerUid: ivan.uid });
  assert.deepEqual(page.msgs.map((m) => m.msgid), [b.msgid, a.msgid]);
  assert.equal(page.more, false);
});

test('a newer login of the same uid and appcode kicks with 4001 and the client stops', async () => {
  const judy = uid('judy');
  const older = client(judy);
  await older.start();
  const kicked = next(older, 'kick');
  const stopped = next(older, 'stopped');
  const newer = client(judy);
  await newer.start();
  assert.equal((await kicked).code, 4001);
  await stopped;
  assert.equal(older.state, 'stopped');
});

test('a refused send rejects with its code, and a refused login is an error event', async () => {
  const kate = client(uid('kate'));
  await kate.start();
  await assert.rejects(kate.sendC2C({ toUid: 'x', toAppcode: 999, content: 'y' }), (e) => e instanceof CourierError && e.code === 403);

  const mallory = client(uid('mallory'), { token: 'not-a-token' });
  const refused = next(mallory, 'error', (d) => d.where === 'login');
  await assert.rejects(mallory.start(), CourierError);
  assert.equal((await refused).code, 401);
});
