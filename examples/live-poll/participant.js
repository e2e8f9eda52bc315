// A participant's ballot: the question open now, one button per answer, and the vote once cast.
import { el, replaceChildren } from '../shared/dom.js';
import { flash } from '../shared/status.js';

/** Votes in flight, by questionId: the chosen option, until the server has stored it. */
const sending = new Map();

export function renderBallot(container, context) {
  const { state, me } = context;
  const question = state.current === null ? null : state.questions.get(state.current);
  if (!question || question.status !== 'open') {
    const last = question ? 'Voting on the last question has closed.' : '';
    replaceChildren(container, [
      el('h2', { text: 'Waiting for the next question…' }),
      el('p', { class: 'muted', text: `${last} Keep this page open: the question appears here as soon as it opens.` }),
    ]);
    return;
  }
  const voted = question.votes.get(me);
  const inFlight = sending.get(question.id);
  const chosen = voted ?? inFlight;
  const buttons = question.options.map((option, index) => el('button', {
    class: index === chosen ? 'chosen' : '',
    text: option,
    data: { option: index },
    attrs: { type: 'button', disabled: chosen !== undefined },
    on: { click: () => vote(context, question, index, container) },
  }));
  let note;
  if (voted !== undefined) {
    note = el('p', { class: 'note', text: `Your vote for “${question.options[voted]}” is counted.`, data: { voted: voted } });
  } else if (inFlight !== undefined) {
    note = el('p', { class: 'note muted', text: 'Sending your vote…' });
  } else {
    note = el('p', { class: 'note muted', text: 'One vote per question.' });
  }
  replaceChildren(container, [el('h2', { text: question.text }), el('div', { class: 'options' }, buttons), note]);
}

async function vote(context, question, option, container) {
  const { client, sessionId, banner } = context;
  sending.set(question.id, option);
  renderBallot(container, context);
  try {
    // The key makes the vote idempotent: a retry after a lost answer, a double tap or a second device stores
    // nothing new, and the server answers with the vote already stored.
    const result = await client.publish(sessionId, 'vote', { questionId: question.id, option },
      { idempotencyKey: `vote:${question.id}` });
    if (result.duplicate) {
      flash(banner, 'You had already voted on this question; your first vote counts.', 'info');
    }
  } catch (error) {
    flash(banner, `Your vote was not stored: ${error.message}`, 'error');
  } finally {
    sending.delete(question.id);
    // The stored vote arrives as an event (counted if the question was still open) and redraws the ballot.
    renderBallot(container, context);
  }
}
