// The support console: an agent signs in with a token, sees its conversations (CONVERSATIONS, with
// unread counts), the two-person ones and the groups it is a member of (docs/groups.md), opens one
// with its history, which marks it read (READ) while it is on screen, receives live, replies (C2C,
// or C2G in a group) and sees its replies' state (sent, delivered, read; live on read receipts; in
// a group, where members get no receipts of each other's READs, sent). Message content is Courier
// rich text, rendered with DOM nodes (lib/richtext.js), never as HTML.

import { CourierClient } from './lib/courier.js';
import { renderRichText } from './lib/richtext.js';
import { Conversations, groupKey } from './conversations.js';

const $ = (id) => document.getElementById(id);
const SHAKE_MS = 600;
const STATE_LABELS = { sending: 'sending…', sent: 'sent', delivered: 'delivered', read: 'read', failed: 'not sent' };

let client = null;
let conversations = null;
let openKey = null;
let oldest = null;

function gateUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

function showStatus(state, text) {
  $('status').dataset.state = state;
  $('status').textContent = text;
}

$('signin').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('signin-error').textContent = '';
  const uid = $('uid').value.trim();
  const appcode = Number($('appcode').value);
  const token = $('token').value.trim();
  client = new CourierClient({ url: gateUrl(), uid, appcode, token });
  client.on('online', () => showStatus('online', `online as ${uid}`));
  client.on('offline', () => showStatus('connecting', 'reconnecting…'));
  client.on('retry', ({ delayMs }) => showStatus('waiting', `reconnecting in ${Math.ceil(delayMs / 1000)} s`));
  client.on('kick', ({ code, msg }) => showStatus('signed-out', `kicked (${code}: ${msg})`));
  client.on('stopped', ({ reason }) => showStatus('signed-out', reason));
  client.on('error', ({ code, msg, where }) => {
    if (where === 'login') $('signin-error').textContent = `${code}: ${msg}`;
  });
  client.on('message', ({ message }) => received(message));
  client.on('read', (receipt) => readReceipt(receipt));
  client.on('caughtUp', () => reloadList());
  conversations = new Conversations(client);
  try {
    await client.start();
  } catch (e) {
    $('signin-error').textContent = e.message;
    return;
  }
  $('signin').hidden = true;
  $('desk').hidden = false;
  $('desk').dataset.view = 'list';
  $('signout').hidden = false;
  renderList();
});

document.addEventListener('visibilitychange', () => markRead());

/** The list from the server, after each login's catch-up (exact counts after any absence). */
async function reloadList() {
  try {
    await conversations.load();
  } catch (e) {
    showStatus($('status').dataset.state, `conversations: ${e.message}`);
  }
  renderList();
  markRead();
}

/** READ of the open conversation, while the page is on screen. */
async function markRead() {
  if (!openKey || document.visibilityState !== 'visible') return;
  try {
    await conversations.markRead(openKey);
  } catch (e) {
    showStatus($('status').dataset.state, `read: ${e.message}`);
    return;
  }
  renderList();
}

/**
 * A read receipt: the peer read the agent's messages, or the agent read on another terminal (a
 * group's receipts are only of that kind).
 */
function readReceipt({ reader, peerUid, groupId, upto, sync }) {
  if (sync || groupId !== undefined) {
    if (!conversations.readBy(groupId !== undefined ? groupKey(groupId) : peerUid, upto)) reloadList();
    renderList();
    return;
  }
  if (reader !== openKey) {
    renderList();
    return;
  }
  for (const item of document.querySelectorAll('#messages li.mine[data-msgid]')) {
    setState(item, client.stateOf({ kind: 'c2c', msgid: item.dataset.msgid, from_uid: client.uid, to_uid: reader, state: item.dataset.state }));
  }
  renderList();
}

$('signout').addEventListener('click', async () => {
  await client?.stop();
  location.reload();
});

$('open-peer').addEventListener('submit', (event) => {
  event.preventDefault();
  const entry = conversations.ensure($('peer-uid').value.trim(), Number($('peer-appcode').value));
  renderList();
  $('peer-uid').value = '';
  open(entry.key);
});

$('back').addEventListener('click', () => {
  $('desk').dataset.view = 'list';
  openKey = null;
  conversations.opened(null);
  renderList();
});

$('older').addEventListener('click', () => loadHistory(openKey, oldest));

$('compose').addEventListener('submit', async (event) => {
  event.preventDefault();
  const content = $('reply').value;
  if (!content.trim() || !openKey) return;
  const peer = conversations.peer(openKey);
  $('reply').value = '';
  const appcode = peer.peerAppcode ?? Number($('peer-appcode').value);
  const pending =
    peer.groupId !== null
      ? { msgid: null, kind: 'c2g', group_id: peer.groupId, from_uid: client.uid, from_appcode: client.appcode, to_uid: '', to_appcode: 0, content, senddate: Date.now() }
      : { msgid: null, kind: 'c2c', from_uid: client.uid, from_appcode: client.appcode, to_uid: peer.peerUid, to_appcode: appcode, content, senddate: Date.now() };
  const item = messageItem(pending, true);
  setState(item, 'sending');
  $('messages').appendChild(item);
  scrollDown();
  try {
    const sent =
      peer.groupId !== null
        ? await client.sendGroup(peer.groupId, 1, content)
        : await client.sendC2C({ toUid: peer.peerUid, toAppcode: appcode, content });
    const message = { ...pending, msgid: sent.msgid, senddate: sent.senddate, state: 'sent' };
    item.dataset.msgid = sent.msgid;
    setState(item, client.stateOf(message));
    conversations.record(message, true);
    renderList();
  } catch (e) {
    item.classList.add('failed');
    setState(item, 'failed');
    item.title = `not sent: ${e.message}`;
  }
});

function received(message) {
  // business messages (s2c) belong to no conversation with a person
  if (!conversations || (message.kind !== 'c2c' && message.kind !== 'c2g')) return;
  const mine = message.from_uid === client.uid;
  const entry = conversations.record(message, mine);
  if (entry.key === openKey && !document.querySelector(`#messages [data-msgid="${CSS.escape(message.msgid)}"]`)) {
    $('messages').appendChild(messageItem(message, mine));
    scrollDown();
  }
  renderList();
  if (!mine && entry.key === openKey) markRead();
}

async function open(key) {
  openKey = key;
  conversations.opened(key);
  const peer = conversations.peer(key);
  showTitle(peer);
  $('messages').replaceChildren();
  $('compose').hidden = false;
  $('desk').dataset.view = 'conversation';
  oldest = null;
  renderList();
  await loadHistory(key, null);
  $('reply').focus();
  markRead();
}

function showTitle(peer) {
  const title = $('peer-title');
  if (peer.groupId !== null) {
    title.replaceChildren(groupMarker(), document.createTextNode(peer.title || peer.groupId));
    title.dataset.group = peer.groupId;
    return;
  }
  delete title.dataset.group;
  title.textContent = peer.peerAppcode ? `${peer.peerUid} (${peer.peerAppcode})` : peer.peerUid;
}

/** The mark that tells a group from a conversation with one person. */
function groupMarker() {
  const marker = document.createElement('span');
  marker.className = 'group-marker';
  marker.title = 'group conversation';
  marker.textContent = 'group';
  return marker;
}

async function loadHistory(key, before) {
  const entry = conversations.peer(key);
  const where = entry.groupId !== null ? { groupId: entry.groupId } : { peerUid: key };
  let page;
  try {
    page = await client.history({ ...where, before: before ?? undefined, limit: 50 });
  } catch (e) {
    showStatus($('status').dataset.state, `history: ${e.message}`);
    return;
  }
  if (key !== openKey) return;
  const newest = page.msgs[0];
  if (newest && !before) {
    if (entry.groupId === null) conversations.ensure(key, newest.from_uid === client.uid ? newest.to_appcode : newest.from_appcode);
    conversations.record(newest, newest.from_uid === client.uid);
  }
  showTitle(conversations.peer(key));
  const items = page.msgs
    .filter((m) => !document.querySelector(`#messages [data-msgid="${CSS.escape(m.msgid)}"]`))
    .reverse()
    .map((m) => messageItem(m, m.from_uid === client.uid));
  $('messages').prepend(...items);
  if (page.msgs.length) oldest = page.msgs[page.msgs.length - 1].msgid;
  $('older').hidden = !page.more;
  if (!before) scrollDown();
}

function messageItem(message, mine) {
  const item = document.createElement('li');
  item.className = mine ? 'message mine' : 'message';
  if (message.msgid) item.dataset.msgid = message.msgid;
  if (message.kind === 'c2g' && !mine) {
    // several people write in a group: each message says who
    const sender = document.createElement('span');
    sender.className = 'sender';
    sender.textContent = message.from_uid;
    item.appendChild(sender);
  }
  let shakes = 0;
  item.appendChild(renderRichText(message.content, document, () => shakes++));
  const time = document.createElement('time');
  time.dateTime = new Date(message.senddate).toISOString();
  time.textContent = new Date(message.senddate).toLocaleTimeString();
  item.appendChild(time);
  if (mine) {
    const state = document.createElement('span');
    state.className = 'receipt';
    item.appendChild(state);
    if (message.msgid) setState(item, client.stateOf(message));
  }
  if (shakes > 0) {
    item.classList.add('shake');
    setTimeout(() => item.classList.remove('shake'), SHAKE_MS);
  }
  return item;
}

/** The state of one of the agent's messages, as data-state and as a label. */
function setState(item, state) {
  item.dataset.state = state;
  const label = item.querySelector('.receipt');
  if (label) label.textContent = STATE_LABELS[state] ?? state;
}

function renderList() {
  const items = conversations.list().map((entry) => {
    const li = document.createElement('li');
    li.setAttribute('aria-current', String(entry.key === openKey));
    const name = document.createElement('span');
    name.className = 'peer';
    if (entry.groupId !== null) {
      li.dataset.group = entry.groupId;
      li.classList.add('group');
      name.append(groupMarker(), document.createTextNode(entry.title || entry.groupId));
    } else {
      li.dataset.peer = entry.peerUid;
      name.textContent = entry.peerUid;
    }
    const unread = document.createElement('span');
    unread.className = 'unread';
    unread.dataset.count = String(entry.unread);
    unread.textContent = String(entry.unread);
    const preview = document.createElement('span');
    preview.className = 'preview';
    preview.textContent = entry.preview;
    li.append(name, unread, preview);
    li.addEventListener('click', () => open(entry.key));
    return li;
  });
  $('conversations').replaceChildren(...items);
}

function scrollDown() {
  $('messages').scrollTop = $('messages').scrollHeight;
}
