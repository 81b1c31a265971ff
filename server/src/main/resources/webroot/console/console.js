// The support console: an agent signs in with a token, sees the peers it talks with, opens one with
// its history, receives live and replies. Message content is Courier rich text, rendered with DOM
// nodes (lib/richtext.js), never as HTML.

import { CourierClient } from './lib/courier.js';
import { renderRichText } from './lib/richtext.js';
import { LocalConversations } from './conversations.js';

const $ = (id) => document.getElementById(id);
const SHAKE_MS = 600;

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
  try {
    await client.start();
  } catch (e) {
    $('signin-error').textContent = e.message;
    return;
  }
  conversations = new LocalConversations(client);
  $('signin').hidden = true;
  $('desk').hidden = false;
  $('desk').dataset.view = 'list';
  $('signout').hidden = false;
  await conversations.load();
  renderList();
});

$('signout').addEventListener('click', async () => {
  await client?.stop();
  location.reload();
});

$('open-peer').addEventListener('submit', (event) => {
  event.preventDefault();
  const entry = conversations.ensure($('peer-uid').value.trim(), Number($('peer-appcode').value));
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
  const pending = { msgid: null, from_uid: client.uid, to_uid: peer.peerUid, to_appcode: peer.peerAppcode, content, senddate: Date.now() };
  const item = messageItem(pending, true);
  item.dataset.state = 'sending';
  $('messages').appendChild(item);
  scrollDown();
  try {
    const sent = await client.sendC2C({ toUid: peer.peerUid, toAppcode: peer.peerAppcode, content });
    item.dataset.msgid = sent.msgid;
    item.dataset.state = 'sent';
    conversations.record({ ...pending, msgid: sent.msgid, senddate: sent.senddate }, true);
    renderList();
  } catch (e) {
    item.classList.add('failed');
    item.dataset.state = 'failed';
    item.title = `not sent: ${e.message}`;
  }
});

function received(message) {
  // business messages (s2c) belong to no conversation with a person
  if (!conversations || message.kind !== 'c2c') return;
  const mine = message.from_uid === client.uid;
  const entry = conversations.record(message, mine);
  if (entry.key === openKey && !document.querySelector(`#messages [data-msgid="${CSS.escape(message.msgid)}"]`)) {
    $('messages').appendChild(messageItem(message, mine));
    scrollDown();
  }
  renderList();
}

async function open(key) {
  openKey = key;
  conversations.opened(key);
  const peer = conversations.peer(key);
  $('peer-title').textContent = `${peer.peerUid} (${peer.peerAppcode})`;
  $('messages').replaceChildren();
  $('compose').hidden = false;
  $('desk').dataset.view = 'conversation';
  oldest = null;
  renderList();
  await loadHistory(key, null);
  $('reply').focus();
}

async function loadHistory(key, before) {
  let page;
  try {
    page = await client.history({ peerUid: key, before: before ?? undefined, limit: 50 });
  } catch (e) {
    showStatus($('status').dataset.state, `history: ${e.message}`);
    return;
  }
  if (key !== openKey) return;
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
  let shakes = 0;
  item.appendChild(renderRichText(message.content, document, () => shakes++));
  const time = document.createElement('time');
  time.dateTime = new Date(message.senddate).toISOString();
  time.textContent = new Date(message.senddate).toLocaleTimeString();
  item.appendChild(time);
  if (shakes > 0) {
    item.classList.add('shake');
    setTimeout(() => item.classList.remove('shake'), SHAKE_MS);
  }
  return item;
}

function renderList() {
  const items = conversations.list().map((entry) => {
    const li = document.createElement('li');
    li.dataset.peer = entry.peerUid;
    li.setAttribute('aria-current', String(entry.key === openKey));
    const name = document.createElement('span');
    name.className = 'peer';
    name.textContent = entry.peerUid;
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
