// The presenter's controls: add questions, open and close them, and watch the tallies.
import { byId, el, replaceChildren } from '../shared/dom.js';
import { flash } from '../shared/status.js';
import { totalVotes } from './poll-state.js';

export function mountPresenter(context) {
  const { client, sessionId, banner } = context;
  const form = byId('new-question');
  const publish = async (eventType, payload) => {
    try {
      await client.publish(sessionId, eventType, payload);
    } catch (error) {
      flash(banner, `Not saved: ${error.message}`, 'error');
    }
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = byId('question-text').value.trim();
    const options = byId('question-options').value.split('\n').map((o) => o.trim()).filter(Boolean);
    if (options.length < 2 || options.length > 8) {
      flash(banner, 'A question needs 2 to 8 answers, one per line.', 'warning');
      return;
    }
    const questionId = crypto.randomUUID().slice(0, 8);
    byId('create-question').disabled = true;
    await publish('question.created', { questionId, text, options });
    byId('create-question').disabled = false;
    form.reset();
  });

  return {
    render() {
      const { state, me } = context;
      if (state.presenter !== null && state.presenter !== me) {
        flash(banner, 'Another presenter runs this room: your questions are not shown to anyone.', 'warning', 0);
      }
      const items = state.list.map((question) => {
        const total = totalVotes(question);
        const actions = [];
        if (question.status !== 'open') {
          actions.push(el('button', { class: 'secondary', text: question.status === 'draft' ? 'Open voting' : 'Reopen',
            attrs: { type: 'button' }, on: { click: () => publish('question.opened', { questionId: question.id }) } }));
        } else {
          actions.push(el('button', { class: 'danger', text: 'Close voting', attrs: { type: 'button' },
            on: { click: () => publish('question.closed', { questionId: question.id }) } }));
        }
        const tally = question.options.map((option, index) => `${option}: ${question.counts[index]}`).join(' · ');
        return el('li', { data: { question: question.id, status: question.status } }, [
          el('div', { class: 'head' }, [el('span', { class: 'text', text: question.text }),
            el('span', { class: `pill ${question.status}`, text: question.status }), ...actions]),
          el('div', { class: 'tally', text: `${tally} (${total} ${total === 1 ? 'vote' : 'votes'})` }),
        ]);
      });
      replaceChildren(byId('question-list'), items.length ? items
        : [el('li', { class: 'empty', text: 'No questions yet: add the first one above.' })]);
    },
  };
}
