// A board's tasks: the confirmed state, folded from the board's events in eventId order, and the user's own changes
// not yet confirmed, laid over it so they show at once.
//
// Events of the session `board:<team>`:
//   task.created {taskId, title}
//   task.changed {taskId, title?, status?, assignee?, assigneeName?}   each field given is set
//   task.deleted {taskId}
//
// Conflicts resolve by last write wins in eventId order: the server numbers events as it stores them, so every
// browser applies the same changes in the same order and ends with the same values, whatever the clients' clocks.
import { compareEventIds } from '/client/index.js';

export const STATUSES = ['todo', 'doing', 'done'];
const MAX_TITLE = 200;

/** The confirmed tasks. */
export class BoardState {
  /** taskId -> {id, title, status, assignee, assigneeName, changedBy} */
  tasks = new Map();
  /** The eventId of the last event applied. */
  position = '0';

  apply(event) {
    this.position = event.eventId;
    applyChange(this.tasks, event.eventType, event.payload ?? {}, event.userId);
  }
}

/** Applies one change (an event, or a pending change of ours) to a map of tasks; returns whether it applied. */
function applyChange(tasks, eventType, payload, userId) {
  const taskId = payload.taskId;
  if (typeof taskId !== 'string' || taskId.length === 0 || taskId.length > 64) {
    return false;
  }
  switch (eventType) {
    case 'task.created':
      if (tasks.has(taskId) || !validTitle(payload.title)) {
        return false;
      }
      tasks.set(taskId, { id: taskId, title: payload.title, status: 'todo', assignee: null, assigneeName: null,
        changedBy: userId });
      return true;
    case 'task.changed': {
      const task = tasks.get(taskId);
      if (!task) {
        return false; // deleted (or never created): a late change does not bring it back
      }
      const next = { ...task, changedBy: userId };
      if (validTitle(payload.title)) {
        next.title = payload.title;
      }
      if (STATUSES.includes(payload.status)) {
        next.status = payload.status;
      }
      if (payload.assignee === null || (typeof payload.assignee === 'string' && payload.assignee.length <= 128)) {
        next.assignee = payload.assignee;
        next.assigneeName = typeof payload.assigneeName === 'string' ? payload.assigneeName.slice(0, 60) : null;
      }
      tasks.set(taskId, next);
      return true;
    }
    case 'task.deleted':
      return tasks.delete(taskId);
    default:
      return false;
  }
}

function validTitle(title) {
  return typeof title === 'string' && title.trim().length > 0 && title.length <= MAX_TITLE;
}

/**
 * The board as this user sees it: the confirmed state with their pending changes on top. A change leaves the
 * overlay when its event has been applied to the confirmed state (its eventId is at or below the position), or
 * when the server refused it: then the view simply falls back to the confirmed state (the rollback).
 */
export class OptimisticBoard {
  #pending = [];
  #counter = 0;

  constructor(state) {
    this.state = state;
  }

  /** Records a change made now; returns its handle for `stored` / `refused`. */
  change(eventType, payload, userId) {
    const change = { id: ++this.#counter, eventType, payload, userId, eventId: null };
    this.#pending.push(change);
    return change;
  }

  /** The server stored the change as `eventId`; it stays in the overlay until that event has been applied. */
  stored(change, eventId) {
    change.eventId = eventId;
    this.settle();
  }

  /** The server refused the change: it is dropped, and the view is the confirmed state again. */
  refused(change) {
    this.#pending = this.#pending.filter((c) => c !== change);
  }

  /** Drops the changes whose events the confirmed state has applied. */
  settle() {
    this.#pending = this.#pending.filter((c) => c.eventId === null
      || compareEventIds(c.eventId, this.state.position) > 0);
  }

  /** Whether a task has a change of ours still waiting for the server. */
  isPending(taskId) {
    return this.#pending.some((c) => c.payload.taskId === taskId);
  }

  /** The tasks to show: the confirmed ones with the pending changes applied in the order they were made. */
  view() {
    const tasks = new Map(this.state.tasks);
    for (const change of this.#pending) {
      applyChange(tasks, change.eventType, change.payload, change.userId);
    }
    return tasks;
  }
}
