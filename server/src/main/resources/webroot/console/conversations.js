// The console's conversation list: the server's (CONVERSATIONS), with its exact unread counts, last
// messages and read positions, reloaded after every login, and kept current in between from the
// messages that arrive, the agent's READs and the read receipts.

import { compareMsgid } from './lib/courier.js';
import { plainText } from './lib/richtext.js';

/** Conversations listed at most (CONVERSATIONS pages of 100); older ones open from the form. */
export const MAX_LISTED = 500;
const PAGE = 100;

/** msgid a is after msgid b (b may be null: nothing yet). */
const after = (a, b) => b === null || compareMsgid(a, b) > 0;

export class Conversations {
  constructor(client) {
    this.client = client;
    this.entries = new Map();
    this.openKey = null;
  }

  /** Reloads the list from the server; an entry that saw a newer message meanwhile is kept. */
  async load() {
    let listed = 0;
    for await (const conv of this.client.allConversations({ pageSize: PAGE })) {
      this.merge(conv);
      if (++listed >= MAX_LISTED) break;
    }
  }

  merge(conv) {
    const entry = this.ensure(conv.peer_uid, conv.last ? peerAppcodeOf(conv.last, this.client.uid) : null);
    if (after(conv.read_upto, entry.readUpto)) entry.readUpto = conv.read_upto;
    if (entry.lastMsgid !== null && compareMsgid(entry.lastMsgid, conv.last_msgid) > 0) return;
    entry.lastMsgid = conv.last_msgid;
    entry.last = conv.last ?? entry.last;
    entry.unread = conv.unread;
  }

  /** The conversation with uid, made when new; appcode (when known) is where replies go. */
  ensure(uid, appcode) {
    let entry = this.entries.get(uid);
    if (!entry) {
      entry = { key: uid, peerUid: uid, peerAppcode: null, last: null, lastMsgid: null, readUpto: null, unread: 0 };
      this.entries.set(uid, entry);
    }
    if (appcode) entry.peerAppcode = appcode;
    return entry;
  }

  /** A message that arrived (PUSH or PULL, each msgid once): the peer's is unread until READ. */
  record(message, mine) {
    const entry = this.ensure(mine ? message.to_uid : message.from_uid, mine ? message.to_appcode : message.from_appcode);
    if (!after(message.msgid, entry.lastMsgid)) return entry;
    entry.lastMsgid = message.msgid;
    entry.last = message;
    if (!mine && this.client.stateOf(message) !== 'read') entry.unread++;
    return entry;
  }

  /** READ up to the conversation's last message, when the peer wrote something unread. */
  async markRead(key) {
    const entry = this.entries.get(key);
    if (!entry || entry.unread === 0 || entry.peerAppcode === null) return;
    const upto = entry.lastMsgid;
    const answer = await this.client.read({ peerUid: entry.peerUid, peerAppcode: entry.peerAppcode, upto });
    this.readBy(key, answer.read_upto);
  }

  /** The agent read the conversation up to msgid (here, or on another terminal: a sync receipt). */
  readBy(key, upto) {
    const entry = this.entries.get(key);
    if (!entry) return false;
    if (after(upto, entry.readUpto)) entry.readUpto = upto;
    if (entry.lastMsgid !== null && !after(entry.lastMsgid, entry.readUpto)) {
      entry.unread = 0;
      return true;
    }
    return false;
  }

  opened(key) {
    this.openKey = key;
  }

  peer(key) {
    return this.entries.get(key);
  }

  /** The conversations, most recent activity first (new empty ones on top), with a preview. */
  list() {
    return [...this.entries.values()]
      .map((entry) => ({ ...entry, preview: entry.last ? preview(entry.last, this.client) : '' }))
      .sort(newestFirst);
  }
}

function newestFirst(a, b) {
  if (a.lastMsgid === null || b.lastMsgid === null) return (a.lastMsgid === null ? 0 : 1) - (b.lastMsgid === null ? 0 : 1);
  return compareMsgid(b.lastMsgid, a.lastMsgid);
}

/** The peer's appcode in a message of the conversation. */
function peerAppcodeOf(message, uid) {
  return message.from_uid === uid ? message.to_appcode : message.from_appcode;
}

function preview(message, client) {
  const text = plainText(message.content);
  return message.from_uid === client.uid ? `You (${client.stateOf(message)}): ${text}` : text;
}
