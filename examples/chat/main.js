// The chat page: rooms in a sidebar, the open room's messages with history on scroll-back, who is typing, who is
// here, @mentions, and a token that renews in place (no reconnect).
import { byId, el, replaceChildren } from '../shared/dom.js';
import { connectClient } from '../shared/connect.js';
import { rememberedName, rememberName, slugFor, userIdFor } from '../shared/identity.js';
import { flash, showConnection } from '../shared/status.js';
import { renderMessages } from './messages-view.js';
import { RoomHistory } from './room-history.js';
import { Typing } from './typing.js';
import { UnreadBadges } from './unread.js';

const ROOMS_KEY = 'switchboard-examples:chat-rooms';
const DEFAULT_ROOMS = ['general', 'random'];
/** Development tokens live 10 minutes here (`?ttl=` seconds to change it), so renewals happen while you watch. */
const TOKEN_TTL_SEC = 600;

const params = new URLSearchParams(location.search);
const name = rememberedName(params);
if (!name) {
  const form = byId('sign-in');
  form.hidden = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    rememberName(byId('name-input').value.trim());
    location.reload();
  });
} else {
  start();
}

function start() {
  const me = userIdFor(name);
  const banner = byId('banner');
  byId('chat').hidden = false;
  byId('me').textContent = `${name} (@${me})`;
  const rooms = knownRooms();
  let active = params.get('room') ? slugFor(params.get('room')) : rooms[0];
  addRoom(rooms, active);

  const tokenLog = { refreshes: 0, connectionIds: [] };
  const client = connectClient({
    claims: { sub: me, name, sessions: ['chat:*'], publish: ['chat:*'],
      ttlSec: Number(params.get('ttl') ?? TOKEN_TTL_SEC) },
    onToken: (reason) => {
      if (reason === 'refresh') {
        tokenLog.refreshes++;
        renderTokenInfo();
      }
    },
  });
  const status = byId('status');
  status.hidden = false;
  showConnection(client, status);

  const histories = new Map(rooms.map((room) => [room, new RoomHistory(client, session(room))]));
  const unread = new UnreadBadges(client, me, (sessionId) => histories.get(roomOf(sessionId))?.messages ?? []);
  const typing = new Typing(client, (sessionId) => {
    if (sessionId === session(active)) {
      byId('typing').textContent = typing.describe(sessionId);
    }
  });

  const list = byId('messages');
  const draw = ({ keepOffset = false } = {}) => {
    const history = histories.get(active);
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const fromBottom = list.scrollHeight - list.scrollTop;
    renderMessages(byId('message-list'), history.messages, me);
    byId('load-earlier').hidden = history.complete;
    byId('history-start').hidden = !history.complete;
    if (keepOffset) {
      list.scrollTop = list.scrollHeight - fromBottom; // earlier messages went on top: the view stays put
    } else if (atBottom) {
      list.scrollTop = list.scrollHeight;
    }
  };

  const renderRooms = () => {
    replaceChildren(byId('room-list'), rooms.map((room) => {
      const { unread: count, mentions } = unread.counts(session(room));
      return el('li', {}, [el('button', {
        class: room === active ? 'active' : '',
        data: { room },
        attrs: { type: 'button', 'aria-current': room === active ? 'page' : false },
        on: { click: () => openRoom(room) },
      }, [el('span', { text: `# ${room}` }),
        count > 0 ? el('span', { class: mentions > 0 ? 'badge mention' : 'badge', data: { unread: count, mentions },
          text: mentions > 0 ? `@${count}` : count }) : null])]);
    }));
  };
  unread.onChange(renderRooms);

  const renderPeople = () => {
    const users = client.presence(session(active));
    byId('people-count').textContent = `(${client.presenceCount(session(active))})`;
    replaceChildren(byId('people'), users.map((user) => el('li', { data: { user: user.userId } }, [
      el('span', { class: 'name', text: user.name ?? user.userId }),
      el('span', { class: 'handle', text: user.userId === me ? '(you)' : `@${user.userId}` }),
    ])));
  };

  const renderTokenInfo = () => {
    const ids = tokenLog.connectionIds;
    const same = ids.length <= 1 ? 'same connection' : `${ids.length} connections`;
    byId('token-info').textContent = tokenLog.refreshes === 0
      ? 'Signed in with a development token.'
      : `Token renewed ${tokenLog.refreshes}× without reconnecting (${same}).`;
  };
  renderTokenInfo();

  function openRoom(room) {
    active = room;
    addRoom(rooms, room);
    if (!histories.has(room)) {
      histories.set(room, new RoomHistory(client, session(room)));
      client.subscribe(session(room));
    }
    const url = new URL(location.href);
    url.searchParams.set('room', room);
    history.replaceState(null, '', url);
    byId('where').textContent = `# ${room}`;
    document.title = `#${room} · Chat`;
    byId('typing').textContent = typing.describe(session(room));
    showingActive();
    renderRooms();
    renderPeople();
    list.scrollTop = 0;
    draw();
    list.scrollTop = list.scrollHeight;
  }

  const loadEarlier = async () => {
    const history = histories.get(active);
    if (await history.loadEarlier().catch((error) => flash(banner, `History: ${error.message}`, 'error'))) {
      draw({ keepOffset: true });
    } else {
      draw();
    }
  };
  byId('load-earlier').addEventListener('click', loadEarlier);
  list.addEventListener('scroll', () => {
    if (list.scrollTop < 60) {
      loadEarlier();
    }
  });

  client.on('replayed', ({ sessionId, lastEventId }) => {
    const room = roomOf(sessionId);
    histories.get(room)?.start(lastEventId).then(() => {
      unread.changed(sessionId); // the page may hold mentions the user has not read
      if (room === active) {
        showingActive();
        draw();
      }
    }).catch((error) => flash(banner, `History: ${error.message}`, 'error'));
  });
  client.on('event', (event) => {
    const room = roomOf(event.sessionId);
    const history = histories.get(room);
    if (!history) {
      return;
    }
    history.add(event);
    typing.stopped(event.sessionId, event.userId);
    unread.arrived(event.sessionId, event, { open: room === active && !document.hidden });
    if (room === active) {
      draw();
    }
  });
  /** The open room is on screen (when the page is): read up to its newest message, on every device. */
  function showingActive() {
    if (!document.hidden) {
      unread.viewed(session(active), histories.get(active).newestEventId);
    }
  }
  document.addEventListener('visibilitychange', showingActive);
  client.on('signal', (signal) => typing.received(signal));
  client.on('presence', ({ sessionId }) => {
    if (sessionId === session(active)) {
      renderPeople();
    }
  });
  client.on('state', ({ state, connectionId }) => {
    if (state === 'connected' && connectionId && !tokenLog.connectionIds.includes(connectionId)) {
      tokenLog.connectionIds.push(connectionId);
      renderTokenInfo();
    }
  });
  client.on('error', (error) => flash(banner, error.message, 'error'));

  const input = byId('message-input');
  input.addEventListener('input', () => {
    if (input.value.trim()) {
      typing.typed(session(active), name);
    }
  });
  byId('composer').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      return;
    }
    input.value = '';
    typing.sent();
    try {
      await client.publish(session(active), 'message', { text, name });
    } catch (error) {
      input.value = text;
      flash(banner, `Not sent: ${error.message}`, 'error');
    }
  });
  byId('join-room').addEventListener('submit', (event) => {
    event.preventDefault();
    const room = slugFor(byId('join-room-name').value);
    byId('join-room-name').value = '';
    openRoom(room);
  });

  for (const room of rooms) {
    client.subscribe(session(room));
  }
  client.connect();
  openRoom(active);
  window.exampleApp = { client, tokenLog, histories };
}

function session(room) {
  return `chat:${room}`;
}

function roomOf(sessionId) {
  return sessionId.slice('chat:'.length);
}

function knownRooms() {
  try {
    const saved = JSON.parse(localStorage.getItem(ROOMS_KEY) ?? '[]');
    return [...new Set([...DEFAULT_ROOMS, ...saved.filter((r) => typeof r === 'string')])];
  } catch {
    return [...DEFAULT_ROOMS];
  }
}

function addRoom(rooms, room) {
  if (!rooms.includes(room)) {
    rooms.push(room);
    localStorage.setItem(ROOMS_KEY, JSON.stringify(rooms.filter((r) => !DEFAULT_ROOMS.includes(r))));
  }
}
