// The demo page: connects to one session with the JavaScript client, lists its events and who is present, and
// publishes. Query parameters pre-fill the form (session, name, transport) and serve the browser tests
// (autoconnect=1, probeMs, ttlSec); the page's state is on window.switchboardPage for them too.
import { createClient } from './client/index.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const page = { client: null, events: [], states: [], resets: [], errors: [] };
window.switchboardPage = page;

for (const field of ['session', 'name', 'transport']) {
  if (params.has(field)) {
    $(field).value = params.get(field);
  }
}

$('connect-form').addEventListener('submit', (e) => {
  e.preventDefault();
  connect();
});
$('disconnect').addEventListener('click', disconnect);
$('publish-form').addEventListener('submit', (e) => {
  e.preventDefault();
  publish();
});
if (params.get('autoconnect') === '1') {
  connect();
}

function connect() {
  disconnect();
  const sessionId = $('session').value.trim();
  const name = $('name').value.trim() || 'guest';
  const transport = $('transport').value;
  const pasted = $('token').value.trim();
  page.events.length = 0;
  $('events').replaceChildren();
  const client = createClient({
    token: pasted || (() => devToken(name)),
    transports: transport === 'auto' ? undefined : [transport],
    upgradeProbeMs: params.has('probeMs') ? Number(params.get('probeMs')) : undefined,
    onEvent: showEvent,
    onPresence: ({ sessionId: id, users, count }) => id === sessionId && showPresence(users, count),
    onState: showState,
    onReset: (reset) => {
      page.resets.push(reset);
      addEventRow(`reset (${reset.reason}): continuing after #${reset.lastEventId}`, 'reset');
    },
    onError: (error) => {
      page.errors.push({ code: error.code, message: error.message });
      log(`error ${error.code}: ${error.message}`);
    },
  });
  page.client = client;
  page.sessionId = sessionId;
  client.subscribe(sessionId, params.has('fromEventId') ? { fromEventId: params.get('fromEventId') } : {});
  client.connect();
  $('connect').disabled = true;
  $('disconnect').disabled = false;
  $('publish').disabled = false;
}

function disconnect() {
  page.client?.close();
  page.client = null;
  $('connect').disabled = false;
  $('disconnect').disabled = true;
  $('publish').disabled = true;
  showPresence([]);
}

/** Dev mode only: the node mints tokens at POST /dev/token while no JWT key is configured. */
async function devToken(name) {
  const userId = name.toLowerCase().replace(/[^a-z0-9._-]/g, '') || 'guest';
  const response = await fetch('/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      sub: userId, name, sessions: ['*'], publish: ['*'], actorType: 'participant',
      ttlSec: params.has('ttlSec') ? Number(params.get('ttlSec')) : 3600,
    }),
  });
  if (!response.ok) {
    throw new Error('this node mints no dev tokens: paste a token under "Token"');
  }
  return (await response.json()).token;
}

async function publish() {
  const client = page.client;
  let payload;
  try {
    payload = JSON.parse($('payload').value || 'null');
  } catch {
    $('publish-result').textContent = 'the payload is not JSON';
    return;
  }
  $('publish-result').textContent = 'publishing...';
  try {
    const { eventId } = await client.publish(page.sessionId, $('event-type').value, payload);
    $('publish-result').textContent = `stored as #${eventId}`;
  } catch (error) {
    $('publish-result').textContent = `not stored: ${error.code ?? ''} ${error.message}`;
  }
}

function showEvent(event) {
  page.events.push({ sessionId: event.sessionId, eventId: event.eventId, eventType: event.eventType,
    userId: event.userId, payload: event.payload });
  const row = addEventRow();
  row.append(span(`#${event.eventId}`, 'id'), span(event.eventType, 'type'), span(event.userId ?? 'server', 'user'),
    span(JSON.stringify(event.payload), 'payload'));
  $('event-count').textContent = `(${page.events.length})`;
}

function addEventRow(text, className) {
  const list = $('events');
  const row = document.createElement('li');
  if (text) {
    row.textContent = text;
    row.className = className;
  }
  list.append(row);
  // Follow the newest event unless the reader scrolled up to look at older ones.
  if (list.scrollHeight - list.scrollTop - list.clientHeight < 60) {
    list.scrollTop = list.scrollHeight;
  }
  return row;
}

function showPresence(users, count = users.length) {
  $('presence-count').textContent = count ? `(${count})` : '';
  const items = users.map((user) => {
    const item = document.createElement('li');
    item.textContent = user.name ?? user.userId;
    item.title = `${user.userId}${user.actorType ? ` (${user.actorType})` : ''}`;
    return item;
  });
  if (items.length === 0) {
    const none = document.createElement('li');
    none.className = 'empty';
    // Above the server's SB_PRESENCE_BROADCAST_MAX, presence comes as counts only.
    none.textContent = count > 0 ? `${count} present, too many to list` : 'nobody yet';
    items.push(none);
  }
  $('presence').replaceChildren(...items);
}

function showState(change) {
  page.states.push({ state: change.state, transport: change.transport, reason: change.reason ?? null });
  const status = $('status');
  const via = change.transport ? ` \u00b7 ${change.transport === 'poll' ? 'long polling' : change.transport}` : '';
  const retry = change.state === 'reconnecting' && change.retryInMs ? ` in ${(change.retryInMs / 1000).toFixed(1)} s` : '';
  status.textContent = `${change.state}${retry}${via}${change.fallback ? ' (fallback)' : ''}`;
  status.className = `status ${change.state}`;
  log(`${change.state}${via}${change.reason ? ` (${change.reason})` : ''}${change.error ? `: ${change.error.message}` : ''}`);
}

function log(text) {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  const list = $('log');
  list.prepend(item);
  while (list.children.length > 30) {
    list.lastChild.remove();
  }
}

function span(text, className) {
  const element = document.createElement('span');
  element.textContent = text;
  element.className = className;
  return element;
}
