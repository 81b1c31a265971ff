import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff, Cmd, RESPONSE, compareMsgid, decodeFrame, encodeFrame } from '../src/courier.js';

test('a LOGIN frame has the header layout of docs/protocol.md section 3', () => {
  const bytes = encodeFrame(Cmd.LOGIN, 1, { uid: 'u1', appcode: 101, token: 't' });
  const header = Buffer.from(bytes.subarray(0, 16)).toString('hex');
  const body = '{"uid":"u1","appcode":101,"token":"t"}';
  assert.equal(header, `435201000001000000000001${body.length.toString(16).padStart(8, '0')}`);
  assert.equal(Buffer.from(bytes.subarray(16)).toString(), body);
});

test('a frame decodes to what was encoded, seq as unsigned', () => {
  const frame = decodeFrame(encodeFrame(Cmd.PING | RESPONSE, 0xfedcba98, { code: 0, x: 'ü€𝄞' }));
  assert.deepEqual(frame, { cmd: 0x8003, seq: 0xfedcba98, body: { code: 0, x: 'ü€𝄞' } });
  const empty = encodeFrame(Cmd.PING, 1, {}).slice(0, 16);
  new DataView(empty.buffer).setUint32(12, 0); // length 0 stands for {}
  assert.deepEqual(decodeFrame(empty), { cmd: 3, seq: 1, body: {} });
});

test('a message that is not exactly one frame is refused', () => {
  const two = new Uint8Array([...encodeFrame(Cmd.PING, 1, {}), ...encodeFrame(Cmd.PING, 2, {})]);
  assert.throws(() => decodeFrame(two), /announces/);
  assert.throws(() => decodeFrame(new Uint8Array(7)), /shorter/);
});

test('msgids compare as unsigned integers, not as text', () => {
  assert.equal(compareMsgid('9', '10'), -1);
  assert.equal(compareMsgid('132271570944012293', '132271570944012292'), 1);
  assert.equal(compareMsgid('18446744073709551615', '18446744073709551615'), 0);
});

test('backoff has full jitter within a doubling window, capped, never below retry_after', () => {
  const top = new Backoff({ baseMs: 500, capMs: 30_000, random: () => 0.999999 });
  assert.deepEqual([1, 2, 3, 7, 20].map((n) => top.delayMs(n)), [500, 1000, 2000, 30_000, 30_000]);
  const bottom = new Backoff({ random: () => 0 });
  assert.equal(bottom.delayMs(5), 0);
  assert.equal(bottom.delayMs(5, 2750), 2750);
});
