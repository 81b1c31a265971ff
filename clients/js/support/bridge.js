// A business for the tests: requests on a node's TCP event-bus bridge (docs/event-bus.md section 8),
// the way a real business server calls Courier from any language. Frames are a 4-byte big-endian
// length and a UTF-8 JSON object, both ways; every frame but `ping` carries the bridge secret.

import { connect } from 'node:net';

/** Bound of a request's wait for its reply (the bridge's own timeout header is set to it). */
const REQUEST_TIMEOUT_MS = 10_000;

/** A connection to the bridge on 127.0.0.1:`port`, acting with `secret`; close() when done. */
export async function connectBridge(port, secret) {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return new Bridge(socket, secret);
}

class Bridge {
  constructor(socket, secret) {
    this.socket = socket;
    this.secret = secret;
    this.replies = 0;
    // requests in the order sent: a refusal (`err` without an address) answers the oldest one, as
    // the bridge answers frames in order
    this.pending = new Map();
    this.buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => this.received(chunk));
    socket.on('close', () => this.failAll(new Error('bridge connection closed')));
    socket.on('error', (e) => this.failAll(e));
  }

  /**
   * A request to `address` with `body`; resolves with the reply's body (Courier's handlers always
   * reply, with a `code`), rejects on an `err` frame or when no reply comes in time.
   */
  request(address, body) {
    this.replies += 1;
    const replyAddress = `test-reply-${this.replies}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(replyAddress);
        reject(new Error(`no reply from ${address} within ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(replyAddress, { resolve, reject, timer, address });
      this.write({
        type: 'send',
        address,
        replyAddress,
        headers: { 'courier-secret': this.secret, timeout: REQUEST_TIMEOUT_MS },
        body,
      });
    });
  }

  close() {
    this.socket.end();
  }

  write(frame) {
    const json = Buffer.from(JSON.stringify(frame), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    this.socket.write(Buffer.concat([length, json]));
  }

  received(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 4) {
      const length = this.buffer.readUInt32BE(0);
      if (this.buffer.length < 4 + length) return;
      const frame = JSON.parse(this.buffer.subarray(4, 4 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(4 + length);
      this.frame(frame);
    }
  }

  frame(frame) {
    let key = frame.address;
    if (frame.type === 'err' && !this.pending.has(key)) key = this.pending.keys().next().value;
    const waiting = this.pending.get(key);
    if (!waiting) return;
    this.pending.delete(key);
    clearTimeout(waiting.timer);
    if (frame.type === 'message') {
      waiting.resolve(frame.body);
    } else {
      waiting.reject(new Error(`${waiting.address}: ${JSON.stringify(frame)}`));
    }
  }

  failAll(error) {
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(error);
    }
    this.pending.clear();
  }
}
