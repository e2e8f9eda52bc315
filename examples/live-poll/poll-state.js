// The state of one live poll, rebuilt from its events in eventId order: the same events give the same state in
// every browser, whether they arrived live or by replay after a reload.
//
// Events of the session `poll:<room>`:
//   question.created {questionId, text, options: [string]}   by the presenter
//   question.opened  {questionId}                              by the presenter; closes the question open before
//   question.closed  {questionId}                              by the presenter
//   vote             {questionId, option: index}               by a participant, counted once per user and question
//
// The presenter is the user who created the room's first question: question events of anyone else are ignored.
// A vote counts only while its question is open and only the user's first; the participant page also publishes it
// with the idempotency key `vote:<questionId>`, so a retried or repeated vote is stored once by the server.

const MAX_TEXT = 300;
const MAX_OPTION = 100;
const MAX_OPTIONS = 8;

export class PollState {
  /** @type {string|null} */
  presenter = null;
  /** questionId -> {id, text, options, status: 'draft'|'open'|'closed', votes: Map<userId, index>, counts} */
  questions = new Map();
  /** The question opened last (open or closed since), or null. */
  current = null;

  /** Applies one event; returns whether anything changed. */
  apply(event) {
    const payload = event.payload ?? {};
    if (event.eventType === 'vote') {
      return this.#vote(event.userId, payload);
    }
    if (!event.eventType.startsWith('question.')) {
      return false;
    }
    if (event.eventType === 'question.created' && this.presenter === null && validQuestion(payload)) {
      this.presenter = event.userId;
    }
    if (event.userId !== this.presenter) {
      return false;
    }
    switch (event.eventType) {
      case 'question.created':
        return this.#create(payload, event.eventId);
      case 'question.opened':
        return this.#open(payload.questionId);
      case 'question.closed':
        return this.#close(payload.questionId);
      default:
        return false;
    }
  }

  /** The questions in the order they were created. */
  get list() {
    return [...this.questions.values()];
  }

  #create(payload, eventId) {
    if (!validQuestion(payload) || this.questions.has(payload.questionId)) {
      return false;
    }
    this.questions.set(payload.questionId, {
      id: payload.questionId, text: payload.text, options: [...payload.options], status: 'draft', eventId,
      votes: new Map(), counts: payload.options.map(() => 0),
    });
    return true;
  }

  #open(questionId) {
    const question = this.questions.get(questionId);
    if (!question || question.status === 'open') {
      return false;
    }
    for (const other of this.questions.values()) {
      if (other.status === 'open') {
        other.status = 'closed';
      }
    }
    question.status = 'open';
    this.current = questionId;
    return true;
  }

  #close(questionId) {
    const question = this.questions.get(questionId);
    if (!question || question.status !== 'open') {
      return false;
    }
    question.status = 'closed';
    return true;
  }

  #vote(userId, { questionId, option }) {
    const question = this.questions.get(questionId);
    if (!question || question.status !== 'open' || userId === null || question.votes.has(userId)
        || !Number.isInteger(option) || option < 0 || option >= question.options.length) {
      return false;
    }
    question.votes.set(userId, option);
    question.counts[option]++;
    return true;
  }
}

function validQuestion(payload) {
  return typeof payload.questionId === 'string' && payload.questionId.length > 0 && payload.questionId.length <= 64
    && typeof payload.text === 'string' && payload.text.trim().length > 0 && payload.text.length <= MAX_TEXT
    && Array.isArray(payload.options) && payload.options.length >= 2 && payload.options.length <= MAX_OPTIONS
    && payload.options.every((o) => typeof o === 'string' && o.trim().length > 0 && o.length <= MAX_OPTION);
}

/** The total of a question's counted votes. */
export function totalVotes(question) {
  return question.counts.reduce((sum, n) => sum + n, 0);
}
