// Courier's JavaScript client: protocol v1 over the WebSocket gate (docs/web.md).
// An ES module without dependencies, for browsers and Node 20 (give Node 20 a WebSocket: run it with
// --experimental-websocket, or pass the `ws` package's class as options.WebSocket).

import { Backoff } from './backoff.js';
import { Cmd, RESPONSE, compareMsgid, decodeFrame, encodeFrame } from './frame.js';

export { Backoff } from './backoff.js';
export { Cmd, RESPONSE, compareMsgid, decodeFrame, encodeFrame } from './frame.js';

/** KICK codes after which the client does not reconnect on its own (docs/protocol.md 2.3). */
const FINAL_KICKS = new Set([4001]);

/** Conversations whose read positions stateOf() remembers (the oldest one learnt is forgotten). */
const MAX_READ_POSITIONS = 10_000;

/**
 * C2C and C2G answers that no resend can change: the message is refused (404 and 410, no such
 * group and a closed group, come from C2G only).
 */
const FINAL_SEND_CODES = new Set([400, 403, 404, 410, 413]);

/** The `state` of a c2c or c2g message as the user sees it (docs/protocol.md 9.14, docs/groups.md). */
export const MessageState = Object.freeze({ SENT: 'sent', DELIVERED: 'delivered', READ: 'read' });

/** A request that failed without an answer (timeout, connection closed) or with a code. */
export class CourierError extends Error {
  constructor(code, msg, body) {
    super(`${code}: ${msg}`);
    this.code = code;
    this.body = body;
  }
}

/**
 * One user's session with a Courier node, kept up across disconnections.
 *
 * Events (an EventTarget; `on(type, listener)` is a shortcut that returns an unsubscribe function),
 * each a CustomEvent whose `detail` is:
 * - `online`   {session, heartbeat, serverTime}: logged in (again)
 * - `message`  {message, source: 'push' | 'pull', sync, groupId?}: a message seen for the first
 *              time (by msgid); `sync` when it is a copy of one the user sent from another terminal;
 *              `groupId` on a group message (kind c2g)
 * - `read`     {reader, readerAppcode, peerUid, upto, sync}: a read receipt; `reader` read the
 *              conversation with `peerUid` up to msgid `upto`. Not `sync`: the peer read the user's
 *              messages; `sync`: the user read it on another terminal. A group's receipt has
 *              `groupId` instead of `peerUid` and is always `sync` (members get no receipts of
 *              each other's READs)
 * - `caughtUp` {pulled}: the PULL after a login has ended and its messages are acknowledged
 * - `kick`     {code, msg}: the server's KICK; 4001 (replaced) stops the client
 * - `error`    {code, msg, where}: an ERROR frame, a refused LOGIN, a failed catch-up
 * - `offline`  {reason}: the connection is gone
 * - `retry`    {attempt, delayMs, reason}: the next connection attempt is scheduled
 * - `stopped`  {reason}: no more attempts (stop(), 4001, 401 without a token function)
 */
export class CourierClient extends EventTarget {
  /**
   * @param {object} options
   * @param {string} options.url the WebSocket gate, e.g. `wss://chat.example.com/ws`
   * @param {string} options.uid
   * @param {number} options.appcode
   * @param {string | (() => string | Promise<string>)} options.token a login token, or a function
   *   that fetches a fresh one from the business (called for every login)
   * @param {typeof WebSocket} [options.WebSocket] defaults to globalThis.WebSocket
   * @param {number} [options.requestTimeoutMs] default 15000
   * @param {number} [options.maxSendAttempts] C2C or C2G sends per message before its promise
   *   rejects; 8
   * @param {Backoff} [options.backoff]
   * @param {number} [options.dedupWindow] msgids remembered for deduplication; 10000
   */
  constructor(options) {
    super();
    this.url = options.url;
    this.uid = options.uid;
    this.appcode = options.appcode;
    this.token = options.token;
    this.WebSocketImpl = options.WebSocket ?? globalThis.WebSocket;
    if (!this.WebSocketImpl) {
      throw new Error('no WebSocket: on Node 20 run with --experimental-websocket or pass options.WebSocket');
    }
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.maxSendAttempts = options.maxSendAttempts ?? 8;
    this.backoff = options.backoff ?? new Backoff();
    this.dedupWindow = options.dedupWindow ?? 10_000;

    this.state = 'idle';
    this.socket = null;
    this.seq = 0;
    this.pending = new Map();
    this.outbox = [];
    this.seen = new Set();
    this.peerReads = new Map();
    this.ownReads = new Map();
    this.groupReads = new Map();
    this.highestMsgid = null;
    this.failures = 0;
    this.heartbeatTimer = null;
    this.retryTimer = null;
    this.retryAfterMs = 0;
    this.kickFloorMs = 0;
    this.session = null;
    this.firstLogin = null;
    this.resolveFirstLogin = null;
    this.rejectFirstLogin = null;
  }

  /** Adds `listener` for events of `type`; returns a function that removes it. */
  on(type, listener) {
    const wrapped = (event) => listener(event.detail);
    this.addEventListener(type, wrapped);
    return () => this.removeEventListener(type, wrapped);
  }

  /** Connects and stays connected until stop(); resolves at the first successful login. */
  start() {
    if (this.state !== 'idle' && this.state !== 'stopped') {
      return this.firstLogin;
    }
    this.firstLogin = new Promise((resolve, reject) => {
      this.resolveFirstLogin = resolve;
      this.rejectFirstLogin = reject;
    });
    this.connect();
    return this.firstLogin;
  }

  /** Logs out (when online) and stops reconnecting; pending sends are rejected. */
  async stop() {
    const socket = this.socket;
    const wasOnline = this.state === 'online';
    this.halt('stopped by the application');
    if (wasOnline && socket) {
      try {
        socket.send(encodeFrame(Cmd.LOGOUT, this.nextSeq(), {}));
      } catch {
        // closing anyway
      }
    }
    socket?.close();
  }

  /**
   * Sends a C2C message. It waits in an outbox while offline and is resent with the same cmid after
   * a reconnection or a 429/503/504/timeout, so the receiver gets it once (the server deduplicates by
   * cmid). Resolves with {msgid, senddate, cmid}; rejects with a CourierError for a final refusal
   * (400, 403, 413) or after maxSendAttempts.
   */
  sendC2C({ toUid, toAppcode, content, msgtype = 1, cmid = newCmid(), logid }) {
    const body = { to_uid: toUid, to_appcode: toAppcode, cmid, msgtype, content };
    if (logid) body.logid = logid;
    return this.enqueue(Cmd.C2C, body);
  }

  /**
   * Sends a message to the group `groupId` (C2G, docs/groups.md), with the outbox and resends of
   * sendC2C: the same cmid after a reconnection or a 429/503/504/timeout. Resolves with {msgid,
   * senddate, cmid}; rejects with a CourierError for a final refusal (400, 403 not a member, 404
   * no such group, 410 closed, 413) or after maxSendAttempts.
   */
  sendGroup(groupId, msgtype, content, { cmid = newCmid(), logid } = {}) {
    const body = { group_id: groupId, cmid, msgtype, content };
    if (logid) body.logid = logid;
    return this.enqueue(Cmd.C2G, body);
  }

  /**
   * READ: marks a conversation read up to msgid `upto`, for every terminal of the user. Either the
   * conversation with `peerUid`, whose app `peerAppcode` (its terminals get the receipt), or the
   * group `groupId`, whose other members get no receipt. Resolves with {read_upto}, the position
   * after the request (it only moves forward); rejects with a CourierError.
   */
  async read({ peerUid, peerAppcode, groupId, upto }) {
    if (groupId !== undefined) {
      const answer = await this.call(Cmd.READ, { group_id: groupId, upto });
      raise(this.groupReads, groupId, answer.read_upto);
      return answer;
    }
    const answer = await this.call(Cmd.READ, { peer_uid: peerUid, peer_appcode: peerAppcode, upto });
    raise(this.ownReads, peerUid, answer.read_upto);
    return answer;
  }

  /**
   * One page of CONVERSATIONS: {convs, more}, the most recently active first; each entry has
   * {peer_uid, last_msgid, read_upto, unread, last?}, or for a group {group_id, groupId, title,
   * last_msgid, read_upto, unread, last?}. The next page: `after` = the last entry's `last_msgid`.
   * Rejects with a CourierError.
   */
  async conversations({ after, limit } = {}) {
    const body = {};
    if (after) body.after = after;
    if (limit) body.limit = limit;
    const page = await this.call(Cmd.CONVERSATIONS, body);
    for (const conv of page.convs) {
      if (conv.group_id !== undefined) conv.groupId = conv.group_id;
    }
    return page;
  }

  /** Every conversation, page by page (`pageSize` per CONVERSATIONS, at most 100), newest first. */
  async *allConversations({ pageSize = 100 } = {}) {
    let after;
    for (;;) {
      const page = await this.conversations({ after, limit: pageSize });
      yield* page.convs;
      if (!page.more || page.convs.length === 0) return;
      after = page.convs[page.convs.length - 1].last_msgid;
    }
  }

  /**
   * The state of a c2c or c2g message as this user sees it now: its `state` from the server, raised
   * by the read receipts and READs seen since ('read' once the reader's position reached it);
   * undefined for s2c. The user's own group messages stay 'sent': members get no receipts of each
   * other's READs.
   */
  stateOf(message) {
    if (message.kind === 'c2g') return this.groupStateOf(message);
    if (message.kind !== 'c2c') return undefined;
    const mine = message.from_uid === this.uid && message.to_uid !== this.uid;
    const peer = mine ? message.to_uid : message.from_uid;
    const upto = (mine ? this.peerReads : this.ownReads).get(peer);
    if (upto !== undefined && compareMsgid(message.msgid, upto) <= 0) return MessageState.READ;
    return message.state ?? (mine ? MessageState.SENT : MessageState.DELIVERED);
  }

  /** A group message's state: the user's own read position in the group raises it. */
  groupStateOf(message) {
    if (message.from_uid === this.uid) return message.state ?? MessageState.SENT;
    const upto = this.groupReads.get(message.group_id);
    if (upto !== undefined && compareMsgid(message.msgid, upto) <= 0) return MessageState.READ;
    return message.state ?? MessageState.DELIVERED;
  }

  /**
   * HISTORY with `peerUid`, or of the group `groupId` (the messages since the user joined it):
   * {msgs (newest first), more}; rejects with a CourierError (a group: 403 not a member, 404 no
   * such group).
   */
  async history({ peerUid, groupId, before, limit } = {}) {
    const body = groupId !== undefined ? { group_id: groupId } : { peer_uid: peerUid };
    if (before) body.before = before;
    if (limit) body.limit = limit;
    return this.call(Cmd.HISTORY, body);
  }

  /** C2S to the businesses: {msgid}; rejects with a CourierError. */
  async c2s({ msgtype, content, logid }) {
    const body = { msgtype, content };
    if (logid) body.logid = logid;
    return this.call(Cmd.C2S, body);
  }

  /** Any request: resolves with the answer's body when its code is 0, else rejects. */
  async call(cmd, body) {
    const answer = await this.request(cmd, body);
    if (answer.code !== 0) throw new CourierError(answer.code, answer.msg, answer);
    return answer;
  }

  /**
   * Sends request `cmd` with `body` on the current connection; resolves with the answer's body,
   * whatever its code; rejects when offline, on timeout, or when the connection closes first.
   */
  request(cmd, body) {
    if (this.state !== 'online' && cmd !== Cmd.LOGIN) {
      return Promise.reject(new CourierError(503, 'not connected'));
    }
    return this.send(cmd, body);
  }

  // --- connection ---------------------------------------------------------------------------

  connect() {
    this.state = 'connecting';
    let socket;
    try {
      socket = new this.WebSocketImpl(this.url);
    } catch (e) {
      this.scheduleRetry(`cannot connect: ${e.message}`);
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => this.login(socket);
    socket.onmessage = (event) => this.received(socket, event.data);
    socket.onclose = (event) => this.closed(socket, `closed (${event.code})`);
    socket.onerror = () => {};
  }

  async login(socket) {
    let token;
    try {
      token = typeof this.token === 'function' ? await this.token() : this.token;
    } catch (e) {
      this.emit('error', { code: 401, msg: `no token: ${e.message}`, where: 'login' });
      socket.close();
      return;
    }
    if (socket !== this.socket) return;
    let answer;
    try {
      answer = await this.send(Cmd.LOGIN, { uid: this.uid, appcode: this.appcode, token });
    } catch {
      socket.close();
      return;
    }
    if (answer.code !== 0) {
      this.emit('error', { code: answer.code, msg: answer.msg, where: 'login' });
      if (answer.code === 401 && typeof this.token !== 'function') {
        this.halt('login refused (401)');
      } else {
        this.retryAfterMs = answer.retry_after ?? 0;
      }
      socket.close();
      return;
    }
    this.state = 'online';
    this.failures = 0;
    this.session = answer.session;
    const heartbeatMs = (answer.heartbeat ?? 30) * 1000;
    this.heartbeatTimer = setInterval(() => this.heartbeat(socket), heartbeatMs);
    this.emit('online', { session: answer.session, heartbeat: answer.heartbeat, serverTime: answer.server_time });
    this.resolveFirstLogin?.(answer);
    this.resolveFirstLogin = null;
    for (const entry of this.outbox) this.transmit(entry);
    this.catchUp(socket);
  }

  /** A PING; a connection that does not answer within the request timeout is closed. */
  async heartbeat(socket) {
    try {
      await this.send(Cmd.PING, {});
    } catch {
      if (socket === this.socket) socket.close();
    }
  }

  /** PULL from the start, page by page, then OFFLINE_ACK up to the highest msgid pulled. */
  async catchUp(socket) {
    let after;
    let highest = null;
    let pulled = 0;
    try {
      for (;;) {
        const page = await this.call(Cmd.PULL, after ? { after, limit: 200 } : { limit: 200 });
        for (const message of page.msgs) {
          pulled++;
          if (highest === null || compareMsgid(message.msgid, highest) > 0) highest = message.msgid;
          this.deliver(message, 'pull');
        }
        if (!page.more || page.msgs.length === 0) break;
        after = this.highestMsgid;
      }
      if (highest !== null) await this.call(Cmd.OFFLINE_ACK, { upto: highest });
      if (socket === this.socket) this.emit('caughtUp', { pulled });
    } catch (e) {
      this.emit('error', { code: e.code ?? 500, msg: e.message, where: 'pull' });
    }
  }

  closed(socket, reason) {
    if (socket !== this.socket) return;
    this.socket = null;
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(new CourierError(503, 'connection closed'));
    }
    this.pending.clear();
    for (const entry of this.outbox) entry.inflight = false;
    if (this.state === 'stopped') return;
    this.state = 'offline';
    this.emit('offline', { reason });
    this.scheduleRetry(reason);
  }

  scheduleRetry(reason) {
    this.failures++;
    const delayMs = this.backoff.delayMs(this.failures, Math.max(this.retryAfterMs ?? 0, this.kickFloorMs ?? 0));
    this.retryAfterMs = 0;
    this.kickFloorMs = 0;
    this.state = 'waiting';
    this.emit('retry', { attempt: this.failures, delayMs, reason });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.state === 'waiting') this.connect();
    }, delayMs);
  }

  halt(reason) {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeatTimer);
    for (const entry of this.outbox.splice(0)) entry.reject(new CourierError(503, reason));
    this.rejectFirstLogin?.(new CourierError(503, reason));
    this.resolveFirstLogin = null;
    this.emit('stopped', { reason });
  }

  // --- frames -------------------------------------------------------------------------------

  nextSeq() {
    this.seq = (this.seq + 1) >>> 0 || 1;
    return this.seq;
  }

  send(cmd, body) {
    const socket = this.socket;
    if (!socket) return Promise.reject(new CourierError(503, 'not connected'));
    const seq = this.nextSeq();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new CourierError(504, 'no answer in time'));
      }, this.requestTimeoutMs);
      this.pending.set(seq, { resolve, reject, timer });
      socket.send(encodeFrame(cmd, seq, body));
    });
  }

  received(socket, data) {
    if (socket !== this.socket) return;
    let frame;
    try {
      frame = decodeFrame(data);
    } catch (e) {
      this.emit('error', { code: 400, msg: e.message, where: 'frame' });
      socket.close();
      return;
    }
    if (frame.cmd & RESPONSE) {
      const waiting = this.pending.get(frame.seq);
      if (waiting) {
        this.pending.delete(frame.seq);
        clearTimeout(waiting.timer);
        waiting.resolve(frame.body);
      }
      return;
    }
    switch (frame.cmd) {
      case Cmd.PUSH:
        // a PUSH marked qos 0 (never stored, never resent) needs no ack (protocol.md 9.6)
        if (frame.body.qos !== 0) {
          socket.send(encodeFrame(Cmd.PUSH | RESPONSE, frame.seq, { msgid: frame.body.msgid }));
        }
        if (frame.body.kind === 'read') {
          this.receipt(frame.body);
        } else {
          this.deliver(frame.body, 'push');
        }
        break;
      case Cmd.KICK:
        this.emit('kick', { code: frame.body.code, msg: frame.body.msg });
        if (FINAL_KICKS.has(frame.body.code)) {
          this.halt(`kicked: ${frame.body.msg}`);
        } else if (frame.body.code === 4005) {
          this.kickFloorMs = 5_000;
        }
        break;
      case Cmd.ERROR:
        this.emit('error', { code: frame.body.code, msg: frame.body.msg, where: 'server' });
        break;
      default:
        break;
    }
  }

  /** Emits a message the first time its msgid is seen. */
  deliver(message, source) {
    if (this.seen.has(message.msgid)) return;
    this.seen.add(message.msgid);
    if (this.seen.size > this.dedupWindow) {
      this.seen.delete(this.seen.values().next().value);
    }
    if (this.highestMsgid === null || compareMsgid(message.msgid, this.highestMsgid) > 0) {
      this.highestMsgid = message.msgid;
    }
    const detail = { message, source, sync: message.sync === true };
    if (message.kind === 'c2g') detail.groupId = message.group_id;
    this.emit('message', detail);
  }

  /** A read receipt (a PUSH of kind read, qos 0): remembered for stateOf() and emitted. */
  receipt(push) {
    const sync = push.sync === true;
    if (push.group_id !== undefined) {
      if (push.from_uid === this.uid) raise(this.groupReads, push.group_id, push.content);
      this.emit('read', { reader: push.from_uid, readerAppcode: push.from_appcode, groupId: push.group_id, upto: push.content, sync });
      return;
    }
    const peerUid = push.to_uid;
    const upto = push.content;
    if (sync) {
      raise(this.ownReads, peerUid, upto);
    } else {
      raise(this.peerReads, push.from_uid, upto);
    }
    this.emit('read', { reader: push.from_uid, readerAppcode: push.from_appcode, peerUid, upto, sync });
  }

  // --- the outbox of C2C and C2G sends -----------------------------------------------------

  /** Queues a send of `cmd` (C2C or C2G, whose body carries a cmid) until it is answered. */
  enqueue(cmd, body) {
    return new Promise((resolve, reject) => {
      const entry = { cmd, body, resolve, reject, attempts: 0, inflight: false };
      this.outbox.push(entry);
      if (this.state === 'online') this.transmit(entry);
    });
  }

  async transmit(entry) {
    if (entry.inflight || this.state !== 'online') return;
    entry.inflight = true;
    entry.attempts++;
    let answer;
    try {
      answer = await this.send(entry.cmd, entry.body);
    } catch (e) {
      answer = { code: e.code, msg: e.message };
    }
    entry.inflight = false;
    if (answer.code === 0) {
      this.settle(entry);
      entry.resolve({ msgid: answer.msgid, senddate: answer.senddate, cmid: entry.body.cmid });
    } else if (FINAL_SEND_CODES.has(answer.code) || entry.attempts >= this.maxSendAttempts) {
      this.settle(entry);
      entry.reject(new CourierError(answer.code, answer.msg, answer));
    } else if (this.state === 'online') {
      // 429, 503, 504, no answer: the same cmid again after a pause; a reconnection resends it too
      setTimeout(() => this.transmit(entry), this.backoff.delayMs(entry.attempts));
    }
  }

  settle(entry) {
    const at = this.outbox.indexOf(entry);
    if (at >= 0) this.outbox.splice(at, 1);
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** Sets positions[key] to msgid unless it already holds a higher one; keeps the newest learnt. */
function raise(positions, key, msgid) {
  const known = positions.get(key);
  if (known !== undefined && compareMsgid(msgid, known) <= 0) return;
  positions.delete(key);
  positions.set(key, msgid);
  if (positions.size > MAX_READ_POSITIONS) positions.delete(positions.keys().next().value);
}

/** A cmid unique per sender: 32 random base-36 characters. */
export function newCmid() {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('').slice(0, 32);
}
