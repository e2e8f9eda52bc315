// The live poll's state fold, without a browser: what counts, in eventId order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PollState, totalVotes } from '../live-poll/poll-state.js';

let nextId = 0;
function event(userId, eventType, payload) {
  return { eventId: String(++nextId), userId, eventType, payload };
}

function poll(...events) {
  const state = new PollState();
  events.forEach((e) => state.apply(e));
  return state;
}

const question = (id, by = 'pia') => event(by, 'question.created', { questionId: id, text: `Q ${id}`,
  options: ['a', 'b', 'c'] });

test('a vote counts once per user, only while its question is open', () => {
  const state = poll(
    question('q1'),
    event('una', 'vote', { questionId: 'q1', option: 0 }), // before opening: ignored
    event('pia', 'question.opened', { questionId: 'q1' }),
    event('una', 'vote', { questionId: 'q1', option: 1 }),
    event('una', 'vote', { questionId: 'q1', option: 2 }), // a second vote: ignored
    event('vic', 'vote', { questionId: 'q1', option: 1 }),
    event('wes', 'vote', { questionId: 'q1', option: 7 }), // no such option
    event('pia', 'question.closed', { questionId: 'q1' }),
    event('xan', 'vote', { questionId: 'q1', option: 0 }), // after closing: ignored
  );
  const q1 = state.questions.get('q1');
  assert.deepEqual(q1.counts, [0, 2, 0]);
  assert.equal(totalVotes(q1), 2);
  assert.equal(q1.status, 'closed');
  assert.equal(q1.votes.get('una'), 1);
});

test('only the first question author presents: question events of others are ignored', () => {
  const state = poll(question('q1'), question('q2', 'mallory'),
    event('mallory', 'question.opened', { questionId: 'q1' }));
  assert.equal(state.presenter, 'pia');
  assert.deepEqual([...state.questions.keys()], ['q1']);
  assert.equal(state.questions.get('q1').status, 'draft');
});

test('opening a question closes the one open before and makes it current', () => {
  const state = poll(question('q1'), question('q2'), event('pia', 'question.opened', { questionId: 'q1' }),
    event('pia', 'question.opened', { questionId: 'q2' }));
  assert.equal(state.current, 'q2');
  assert.equal(state.questions.get('q1').status, 'closed');
  assert.equal(state.questions.get('q2').status, 'open');
});

test('a malformed question is not created', () => {
  const state = poll(event('pia', 'question.created', { questionId: 'q1', text: 'one option', options: ['a'] }),
    event('pia', 'question.created', { questionId: 'q2', text: 42, options: ['a', 'b'] }));
  assert.equal(state.questions.size, 0);
  assert.equal(state.presenter, null);
});
