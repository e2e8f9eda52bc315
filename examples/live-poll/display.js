// The display: the current question as a live bar chart, for a projector or a shared screen.
import { el, replaceChildren } from '../shared/dom.js';
import { totalVotes } from './poll-state.js';

export function renderDisplay(container, { state }) {
  const question = state.current === null ? null : state.questions.get(state.current);
  if (!question) {
    replaceChildren(container, [el('h2', { text: 'The poll starts soon' }),
      el('p', { class: 'muted', text: 'Results appear here when the presenter opens a question.' })]);
    return;
  }
  const total = totalVotes(question);
  const bars = question.options.map((option, index) => {
    const count = question.counts[index];
    const share = total === 0 ? 0 : Math.round((count / total) * 100);
    const fill = el('div', { class: 'fill' });
    fill.style.width = `${share}%`; // CSSOM, which the page's Content-Security-Policy allows (no inline style)
    return el('div', { class: 'bar', data: { option: index, count } }, [
      el('div', { class: 'label' }, [el('span', { class: 'option', text: option }),
        el('span', { class: 'count', text: `${count} · ${share}%` })]),
      el('div', { class: 'track' }, [fill]),
    ]);
  });
  replaceChildren(container, [
    el('div', { class: 'row' }, [el('span', { class: `pill ${question.status}`, text: question.status === 'open'
      ? 'Voting open' : 'Voting closed' })]),
    el('h2', { text: question.text }),
    el('div', { class: 'bars' }, bars),
    el('p', { class: 'total', data: { total }, text: total === 1 ? '1 vote' : `${total} votes` }),
  ]);
}
