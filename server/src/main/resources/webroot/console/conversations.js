// The console's conversation list. Until the server keeps conversations (the CONVERSATIONS command),
// it is built in the browser: from the messages that arrive (PUSH and the PULL after each login) and
// the peers the agent opened, remembered in localStorage, with unread counts kept here. A list built
// from CONVERSATIONS replaces this class behind the same methods: load(), record(message, mine),
// opened(key), list(), peer(key).

import { compareMsgid } from './lib/courier.js';
import { plainText } from './lib/richtext.js';

export class LocalConversations {
  constructor(client, storage = globalThis.localStorage) {
    this.client = client;
    this.storage = storage;
    this.key = `courier.console.peers.${client.uid}.${client.appcode}`;
    this.entries = new Map();
    this.openKey = null;
  }

  /** Restores the peers of earlier visits, each with its newest message from HISTORY. */
  async load() {
    const saved = JSON.parse(this.storage?.getItem(this.key) ?? '[]');
    for (const { uid, appcode } of saved) this.ensure(uid, appcode);
    await Promise.all(
      saved.map(async ({ uid }) => {
        try {
          const page = await this.client.history({ peerUid: uid, limit: 1 });
          if (page.msgs[0]) this.record(page.msgs[0], page.msgs[0].from_uid === this.client.uid, false);
        } catch {
          // shown without a preview; opening it loads its history again
        }
      }),
    );
  }

  /** The conversation with uid, made when new; appcode is where replies go. */
  ensure(uid, appcode) {
    let entry = this.entries.get(uid);
    if (!entry) {
      entry = { key: uid, peerUid: uid, peerAppcode: appcode, last: null, unread: 0 };
      this.entries.set(uid, entry);
      this.save();
    }
    return entry;
  }

  /** A message of a conversation; counts as unread when it is the peer's and not open. */
  record(message, mine, live = true) {
    const peerUid = mine ? message.to_uid : message.from_uid;
    const peerAppcode = mine ? message.to_appcode : message.from_appcode;
    const entry = this.ensure(peerUid, peerAppcode);
    if (!mine) entry.peerAppcode = peerAppcode;
    if (!entry.last || compareMsgid(message.msgid, entry.last.msgid) > 0) entry.last = message;
    if (live && !mine && this.openKey !== entry.key) entry.unread++;
    return entry;
  }

  /** The agent opened the conversation: it is read. */
  opened(key) {
    this.openKey = key;
    const entry = this.entries.get(key);
    if (entry) entry.unread = 0;
  }

  peer(key) {
    return this.entries.get(key);
  }

  /** The conversations, most recent activity first, each with a preview of its last message. */
  list() {
    return [...this.entries.values()]
      .map((entry) => ({ ...entry, preview: entry.last ? plainText(entry.last.content) : '' }))
      .sort((a, b) => (b.last?.senddate ?? 0) - (a.last?.senddate ?? 0));
  }

  save() {
    const peers = [...this.entries.values()].map(({ peerUid, peerAppcode }) => ({ uid: peerUid, appcode: peerAppcode }));
    this.storage?.setItem(this.key, JSON.stringify(peers));
  }
}
