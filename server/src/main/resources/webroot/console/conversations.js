// The console's conversation list: the server's (CONVERSATIONS), with its exact unread counts, last
// messages and read positions, reloaded after every login, and kept current in between from the
// messages that arrive, the agent's READs and the read receipts. An entry is a conversation with a
// peer (keyed by its uid) or a group the agent is a member of (keyed by groupKey(group_id)).

import { compareMsgid } from './lib/courier.js';
import { plainText } from './lib/richtext.js';

/** Conversations listed at most (CONVERSATIONS pages of 100); older ones open from the form. */
export const MAX_LISTED = 500;
const PAGE = 100;

/** msgid a is after msgid b (b may be null: nothing yet). */
const after = (a, b) => b === null || compareMsgid(a, b) > 0;

/** A group's key in the list: '#' is in no uid, so a group never takes a peer's key. */
export const groupKey = (groupId) => `#${groupId}`;

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
    const entry =
      conv.group_id !== undefined
        ? this.ensureGroup(conv.group_id, conv.title)
        : this.ensure(conv.peer_uid, conv.last ? peerAppcodeOf(conv.last, this.client.uid) : null);
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
      entry = { key: uid, peerUid: uid, peerAppcode: null, groupId: null, title: null, last: null, lastMsgid: null, readUpto: null, unread: 0 };
      this.entries.set(uid, entry);
    }
    if (appcode) entry.peerAppcode = appcode;
    return entry;
  }

  /** The group groupId, made when new; title (when known) is what the list shows. */
  ensureGroup(groupId, title) {
    const key = groupKey(groupId);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { key, peerUid: null, peerAppcode: null, groupId, title: null, last: null, lastMsgid: null, readUpto: null, unread: 0 };
      this.entries.set(key, entry);
    }
    if (title) entry.title = title;
    return entry;
  }

  /** The entry a message belongs to: its group's, or the peer's (the other user's). */
  entryOf(message, mine) {
    if (message.kind === 'c2g') return this.ensureGroup(message.group_id);
    return this.ensure(mine ? message.to_uid : message.from_uid, mine ? message.to_appcode : message.from_appcode);
  }

  /**
   * A message that arrived (PUSH or PULL, each msgid once): the peer's, or another member's, is
   * unread until READ.
   */
  record(message, mine) {
    const entry = this.entryOf(message, mine);
    if (!after(message.msgid, entry.lastMsgid)) return entry;
    entry.lastMsgid = message.msgid;
    entry.last = message;
    if (!mine && this.client.stateOf(message) !== 'read') entry.unread++;
    return entry;
  }

  /** READ up to the conversation's last message, when the peer (or a member) wrote something unread. */
  async markRead(key) {
    const entry = this.entries.get(key);
    if (!entry || entry.unread === 0) return;
    const upto = entry.lastMsgid;
    let answer;
    if (entry.groupId !== null) {
      answer = await this.client.read({ groupId: entry.groupId, upto });
    } else if (entry.peerAppcode !== null) {
      answer = await this.client.read({ peerUid: entry.peerUid, peerAppcode: entry.peerAppcode, upto });
    } else {
      return;
    }
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
  if (message.kind === 'c2g') return `${message.from_uid === client.uid ? 'You' : message.from_uid}: ${text}`;
  return message.from_uid === client.uid ? `You (${client.stateOf(message)}): ${text}` : text;
}
