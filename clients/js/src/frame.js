// Protocol v1 framing (docs/protocol.md section 3): a 16-byte header and a UTF-8 JSON object body.
//
//  0      2    3     4     6          8     12       16
//  +------+----+-----+-----+----------+-----+--------+------...
//  | "CR" | 01 | 00  | cmd | reserved | seq | length | body
//  +------+----+-----+-----+----------+-----+--------+------...

export const HEADER_LENGTH = 16;
const MAGIC = 0x4352;
const VERSION = 1;

/** Command codes; a response is its request's code | RESPONSE. */
export const Cmd = Object.freeze({
  LOGIN: 0x0001,
  LOGOUT: 0x0002,
  PING: 0x0003,
  REFRESH: 0x0004,
  C2S: 0x0010,
  C2C: 0x0011,
  C2G: 0x0012,
  PUSH: 0x0020,
  PULL: 0x0030,
  OFFLINE_ACK: 0x0031,
  HISTORY: 0x0032,
  READ: 0x0033,
  CONVERSATIONS: 0x0034,
  KICK: 0x0040,
  ERROR: 0x00ff,
});

export const RESPONSE = 0x8000;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** One frame as bytes: what one binary WebSocket message carries. */
export function encodeFrame(cmd, seq, body) {
  const json = encoder.encode(JSON.stringify(body ?? {}));
  const bytes = new Uint8Array(HEADER_LENGTH + json.length);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, MAGIC);
  view.setUint8(2, VERSION);
  view.setUint8(3, 0);
  view.setUint16(4, cmd);
  view.setUint16(6, 0);
  view.setUint32(8, seq >>> 0);
  view.setUint32(12, json.length);
  bytes.set(json, HEADER_LENGTH);
  return bytes;
}

/** The frame in one binary message: {cmd, seq, body}; throws on a message that is not one frame. */
export function decodeFrame(data) {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length < HEADER_LENGTH) {
    throw new Error(`message of ${bytes.length} bytes is shorter than a frame header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.getUint16(0) !== MAGIC || view.getUint8(2) !== VERSION) {
    throw new Error('not a protocol v1 frame');
  }
  const length = view.getUint32(12);
  if (HEADER_LENGTH + length !== bytes.length) {
    throw new Error(`frame announces ${length} body bytes, message holds ${bytes.length - HEADER_LENGTH}`);
  }
  const text = decoder.decode(bytes.subarray(HEADER_LENGTH));
  return {
    cmd: view.getUint16(4),
    seq: view.getUint32(8),
    body: text.length === 0 ? {} : JSON.parse(text),
  };
}

/** Compares two msgids (decimal strings of unsigned 64-bit integers) as numbers, never as text. */
export function compareMsgid(a, b) {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
