// The live poll page: sign in, pick a role, and keep that role's view in step with the poll's events.
import { byId } from '../shared/dom.js';
import { connectClient } from '../shared/connect.js';
import { rememberedName, rememberName, slugFor, userIdFor } from '../shared/identity.js';
import { flash, showConnection } from '../shared/status.js';
import { PollState } from './poll-state.js';
import { renderDisplay } from './display.js';
import { renderBallot } from './participant.js';
import { mountPresenter } from './presenter.js';

const ROLES = ['presenter', 'participant', 'display'];
const params = new URLSearchParams(location.search);
const name = rememberedName(params);
const role = params.get('role');
const room = slugFor(params.get('room') ?? '');

if (!name || !ROLES.includes(role) || !params.get('room')) {
  showSignIn();
} else {
  start();
}

function showSignIn() {
  const form = byId('sign-in');
  form.hidden = false;
  byId('name-input').value = name ?? '';
  if (params.get('room')) {
    byId('room-input').value = params.get('room');
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    rememberName(String(data.get('name')).trim());
    const next = new URLSearchParams({ room: slugFor(String(data.get('room'))), role: String(data.get('role')),
      name: String(data.get('name')).trim() });
    if (params.get('transport')) {
      next.set('transport', params.get('transport'));
    }
    location.search = next.toString();
  });
}

function start() {
  const me = userIdFor(name);
  const sessionId = `poll:${room}`;
  document.title = `${room} · Live poll`;
  byId('where').textContent = `Room ${room} · ${role}`;
  byId('me').textContent = name;
  const banner = byId('banner');
  const client = connectClient({
    claims: { sub: me, name, actorType: role, sessions: [sessionId], publish: role === 'display' ? [] : [sessionId] },
  });
  const status = byId('status');
  status.hidden = false;
  showConnection(client, status);

  let state = new PollState();
  const context = { client, sessionId, me, banner, get state() { return state; } };
  const render = {
    presenter: () => presenterView.render(),
    participant: () => renderBallot(byId('ballot'), context),
    display: () => renderDisplay(byId('screen'), context),
  }[role];
  const presenterView = role === 'presenter' ? mountPresenter(context) : null;
  byId(role).hidden = false;
  if (role === 'display') {
    const url = new URL(location.href);
    url.search = new URLSearchParams({ room, role: 'participant' }).toString();
    byId('join-hint').textContent = `Vote on your phone: ${url}`;
  }

  let pending = false;
  const scheduleRender = () => {
    // A replay delivers hundreds of events at once: draw once per frame, not once per event.
    if (!pending) {
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        render();
      });
    }
  };
  client.on('event', (event) => {
    if (event.sessionId === sessionId && state.apply(event)) {
      scheduleRender();
    }
  });
  client.on('reset', () => {
    // The position could not be resumed (the node's store was wiped): start again from whatever it holds now.
    state = new PollState();
    client.unsubscribe(sessionId).subscribe(sessionId, { fromEventId: 0 });
    scheduleRender();
  });
  client.on('presence', ({ count }) => {
    const badge = byId('presence-count');
    badge.hidden = false;
    badge.dataset.count = String(count);
    badge.textContent = count === 1 ? '1 in the room' : `${count} in the room`;
  });
  client.on('error', (error) => flash(banner, error.message, 'error'));
  // Every event from the first: the state is rebuilt exactly, then follows live.
  client.subscribe(sessionId, { fromEventId: 0 }).connect();
  render();
  window.exampleApp = { client, get state() { return state; } };
}
