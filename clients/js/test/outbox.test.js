// The outbox's resend rules for C2G, against a scripted gate (no node): which answers make the
// client send the same cmid again and which are final. A real node cannot be made to answer 503 or
// 504 on demand; the resends after a reconnection are tested against one in groups.test.js.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff, Cmd, CourierClient, CourierError, RESPONSE, decodeFrame, encodeFrame } from '../src/courier.js';

/**
 * A WebSocket class whose sockets answer LOGIN, PULL and OFFLINE_ACK as an empty node does, and
 * every C2G with the next of `c2gAnswers` (null: no answer at all); it records the C2G bodies.
 */
function scriptedGate(c2gAnswers) {
  const c2g = [];
  class ScriptedSocket {
    constructor() {
      this.binaryType = 'blob';
      setTimeout(() => this.onopen(), 0);
    }

    send(bytes) {
      const { cmd, seq, body } = decodeFrame(bytes);
      let answer;
      if (cmd === Cmd.LOGIN) answer = { code: 0, session: 's-1', heartbeat: 30, server_time: Date.now() };
      else if (cmd === Cmd.PULL) answer = { code: 0, msgs: [], more: false };
      else if (cmd === Cmd.C2G) {
        c2g.push(body);
        answer = c2gAnswers.shift();
      } else answer = { code: 0 };
      if (answer) setTimeout(() => this.onmessage({ data: encodeFrame(cmd | RESPONSE, seq, answer).buffer }), 0);
    }

    close() {
      setTimeout(() => this.onclose({ code: 1000 }), 0);
    }
  }
  return { ScriptedSocket, c2g };
}

function client(ScriptedSocket) {
  return new CourierClient({
    url: 'ws://scripted/ws',
    uid: 'u1',
    appcode: 103,
    token: 't',
    WebSocket: ScriptedSocket,
    backoff: new Backoff({ baseMs: 5, capMs: 20 }),
    requestTimeoutMs: 100,
    maxSendAttempts: 4,
  });
}

test('a C2G answered 503, 429, then not at all is sent again with the same cmid until it is stored', async () => {
  const stored = { code: 0, msgid: '4097', senddate: 1767225600000 };
  const { ScriptedSocket, c2g } = scriptedGate([{ code: 503, msg: 'store unavailable' }, { code: 429, msg: 'rate' }, null, stored]);
  const sender = client(ScriptedSocket);
  await sender.start();
  const sent = await sender.sendGroup('order-42', 1, 'where is my order?', { cmid: 'c-1' });
  assert.deepEqual(sent, { msgid: '4097', senddate: 1767225600000, cmid: 'c-1' });
  assert.equal(c2g.length, 4);
  assert.deepEqual(new Set(c2g.map((body) => JSON.stringify(body))), new Set([JSON.stringify({ group_id: 'order-42', cmid: 'c-1', msgtype: 1, content: 'where is my order?' })]));
  await sender.stop();
});

test('a C2G refused with 403, 404 or 410 rejects at once, without a resend', async () => {
  for (const code of [403, 404, 410]) {
    const { ScriptedSocket, c2g } = scriptedGate([{ code, msg: `refused ${code}` }]);
    const sender = client(ScriptedSocket);
    await sender.start();
    await assert.rejects(sender.sendGroup('order-42', 1, 'x'), (e) => e instanceof CourierError && e.code === code);
    assert.equal(c2g.length, 1, `${code} is final`);
    await sender.stop();
  }
});

test('a C2G that never gets a code 0 rejects after maxSendAttempts with the last code', async () => {
  const { ScriptedSocket, c2g } = scriptedGate(Array.from({ length: 4 }, () => ({ code: 503, msg: 'store unavailable' })));
  const sender = client(ScriptedSocket);
  await sender.start();
  await assert.rejects(sender.sendGroup('order-42', 1, 'x'), (e) => e.code === 503);
  assert.equal(c2g.length, 4);
  await sender.stop();
});
