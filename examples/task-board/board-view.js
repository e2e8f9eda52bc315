// Draws the board: three columns of task cards, each with its title (click to edit), assignee and moves.
import { el, replaceChildren } from '../shared/dom.js';
import { STATUSES } from './board-state.js';

/**
 * @param {{tasks: Map, isPending: (id: string) => boolean, people: Map<string, string>, me: string,
 *   actions: {rename, move, assign, remove}}} view
 */
export function renderBoard(root, { tasks, isPending, people, me, actions, editing }) {
  for (const column of root.querySelectorAll('.column')) {
    const status = column.dataset.status;
    const cards = [...tasks.values()].filter((task) => task.status === status)
      .map((task) => card(task, { pending: isPending(task.id), people, me, actions, editing }));
    column.querySelector('.count').textContent = `(${cards.length})`;
    replaceChildren(column.querySelector('ol'), cards.length ? cards
      : [el('li', { class: 'empty small', text: 'Nothing here.' })]);
  }
}

function card(task, { pending, people, me, actions, editing }) {
  const index = STATUSES.indexOf(task.status);
  const title = editing.taskId === task.id
    ? el('form', { class: 'edit', on: { submit: (event) => {
      event.preventDefault();
      actions.rename(task, event.target.elements.title.value);
    } } }, [
      // The draft survives redraws (a teammate's change arriving while this one is typed).
      el('input', { attrs: { name: 'title', value: editing.draft ?? task.title, maxlength: 200, 'aria-label': 'Title',
        required: true }, on: { input: (event) => { editing.draft = event.target.value; } } }),
      el('button', { text: 'Save', attrs: { type: 'submit' } }),
    ])
    : el('button', { class: 'title', text: task.title, attrs: { type: 'button', title: 'Click to rename' },
      on: { click: () => actions.edit(task) } });
  const choices = new Map(people);
  if (task.assignee && !choices.has(task.assignee)) {
    choices.set(task.assignee, task.assigneeName ?? task.assignee);
  }
  const assignee = el('select', { attrs: { 'aria-label': 'Assignee' }, on: { change: (event) =>
    actions.assign(task, event.target.value || null, choices.get(event.target.value) ?? null) } }, [
    el('option', { text: 'Unassigned', attrs: { value: '', selected: !task.assignee } }),
    ...[...choices].map(([userId, name]) => el('option', {
      text: userId === me ? `${name} (me)` : name, attrs: { value: userId, selected: task.assignee === userId } })),
  ]);
  return el('li', { class: `task${pending ? ' pending' : ''}`, data: { task: task.id, pending } }, [
    title,
    el('div', { class: 'controls' }, [
      el('button', { class: 'secondary', text: '←', attrs: { type: 'button', 'aria-label': 'Move left',
        disabled: index === 0 }, on: { click: () => actions.move(task, STATUSES[index - 1]) } }),
      el('button', { class: 'secondary', text: '→', attrs: { type: 'button', 'aria-label': 'Move right',
        disabled: index === STATUSES.length - 1 }, on: { click: () => actions.move(task, STATUSES[index + 1]) } }),
      assignee,
      el('button', { class: 'danger', text: '✕', attrs: { type: 'button', 'aria-label': 'Delete' },
        on: { click: () => actions.remove(task) } }),
    ]),
    pending ? el('span', { class: 'who', text: 'Saving…' }) : null,
  ]);
}
