// The task board page: a team's tasks in three columns, changed optimistically, with notifications for assignees.
import { byId } from '../shared/dom.js';
import { connectClient } from '../shared/connect.js';
import { rememberedName, rememberName, slugFor, userIdFor } from '../shared/identity.js';
import { flash, showConnection } from '../shared/status.js';
import { BoardState, OptimisticBoard } from './board-state.js';
import { renderBoard } from './board-view.js';
import { Changes } from './changes.js';
import { Notifications } from './notifications.js';

const params = new URLSearchParams(location.search);
const name = rememberedName(params);
const team = params.get('board');

if (!name || !team) {
  const form = byId('sign-in');
  form.hidden = false;
  byId('name-input').value = name ?? '';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams(params);
    next.set('board', slugFor(byId('board-input').value));
    next.set('name', byId('name-input').value.trim());
    rememberName(next.get('name'));
    location.search = next.toString();
  });
} else {
  start(slugFor(team));
}

function start(board) {
  const me = userIdFor(name);
  const sessionId = `board:${board}`;
  // `?role=viewer` signs in without the right to publish: every change is refused by the server and rolled back.
  const viewer = params.get('role') === 'viewer';
  const banner = byId('banner');
  byId('board').hidden = false;
  byId('bell').hidden = false;
  byId('me').textContent = viewer ? `${name} (view only)` : name;
  byId('where').textContent = board;
  document.title = `${board} · Task board`;

  const client = connectClient({
    claims: { sub: me, name, actorType: viewer ? 'viewer' : 'member', sessions: [sessionId],
      publish: viewer ? [] : [sessionId, 'user:*'] },
  });
  const status = byId('status');
  status.hidden = false;
  showConnection(client, status);

  const state = new BoardState();
  const optimistic = new OptimisticBoard(state);
  /** userId -> name: who is on the board now, and everyone a task is assigned to. */
  const people = new Map([[me, name]]);
  const editing = { taskId: null, draft: null };
  const redraw = () => {
    const wasEditing = document.activeElement?.name === 'title';
    renderBoard(byId('board'), {
      tasks: optimistic.view(), isPending: (id) => optimistic.isPending(id), people, me, actions, editing,
    });
    if (wasEditing && editing.taskId) {
      const input = document.querySelector(`[data-task="${CSS.escape(editing.taskId)}"] input`);
      input?.focus();
      input?.setSelectionRange(input.value.length, input.value.length);
    }
  };
  const changes = new Changes({ client, board: optimistic, sessionId, me, banner, redraw });

  const notifications = new Notifications(client, me, () => {
    const count = notifications.unread;
    const badge = byId('bell-count');
    badge.hidden = count === 0;
    badge.textContent = String(count);
    badge.dataset.count = String(count);
    notifications.render(byId('notification-list'));
  });

  const actions = {
    edit(task) {
      editing.taskId = task.id;
      editing.draft = null;
      redraw();
      document.querySelector(`[data-task="${CSS.escape(task.id)}"] input`)?.focus();
    },
    async rename(task, title) {
      editing.taskId = null;
      editing.draft = null;
      const trimmed = title.trim();
      if (!trimmed || trimmed === task.title) {
        redraw();
        return;
      }
      await changes.make('task.changed', { taskId: task.id, title: trimmed });
    },
    move(task, status) {
      return changes.make('task.changed', { taskId: task.id, status });
    },
    async assign(task, assignee, assigneeName) {
      const eventId = await changes.make('task.changed', { taskId: task.id, assignee, assigneeName });
      if (eventId && assignee && assignee !== me) {
        // The assignee hears of it in their personal session, stored until they come back.
        client.publish(`user:${assignee}`, 'task.assigned',
          { board, taskId: task.id, title: task.title, byName: name })
          .catch((error) => flash(banner, `${assigneeName ?? assignee} was not notified: ${error.message}`, 'warning'));
      }
    },
    remove(task) {
      return changes.make('task.deleted', { taskId: task.id });
    },
  };

  byId('new-task').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = byId('new-task-title');
    const title = input.value.trim();
    input.value = '';
    if (title) {
      changes.make('task.created', { taskId: crypto.randomUUID().slice(0, 12), title });
    }
  });
  byId('bell').addEventListener('click', () => {
    const panel = byId('notifications');
    panel.hidden = !panel.hidden;
    if (!panel.hidden) {
      notifications.render(byId('notification-list'));
      notifications.markAllRead((error) => flash(banner, `Not marked read: ${error.message}`, 'warning'));
    }
  });

  let drawPending = false;
  client.on('event', (event) => {
    if (event.sessionId === notifications.sessionId) {
      notifications.add(event);
      return;
    }
    if (event.sessionId !== sessionId) {
      return;
    }
    state.apply(event);
    const task = state.tasks.get(event.payload?.taskId);
    if (task?.assignee && task.assigneeName && !people.has(task.assignee)) {
      people.set(task.assignee, task.assigneeName);
    }
    optimistic.settle();
    if (!drawPending) {
      drawPending = true;
      requestAnimationFrame(() => {
        drawPending = false;
        redraw();
      });
    }
  });
  client.on('presence', ({ sessionId: id, users }) => {
    if (id !== sessionId) {
      return;
    }
    for (const user of users) {
      if (user.actorType !== 'viewer') {
        people.set(user.userId, user.name ?? user.userId);
      }
    }
    byId('team').textContent = `${users.length} on this board now: ${users.map((u) => u.name ?? u.userId).join(', ')}`;
    redraw();
  });
  client.on('error', (error) => flash(banner, error.message, 'error'));
  client.subscribe(sessionId, { fromEventId: 0 }).subscribe(notifications.sessionId, { fromEventId: 0 }).connect();
  redraw();
  window.exampleApp = { client, state, optimistic };
}
