// Typing indicators: signals (not stored, WebSocket only), sent at most every few seconds while someone types and
// forgotten a few seconds after the last one.
const SEND_EVERY_MS = 2500;
const SHOW_FOR_MS = 4000;

export class Typing {
  #client;
  #typers = new Map(); // sessionId -> Map(userId -> {name, until})
  #lastSent = 0;
  #onChange;

  constructor(client, onChange) {
    this.#client = client;
    this.#onChange = onChange;
    setInterval(() => this.#expire(), 1000);
  }

  /** The user typed in `sessionId`: tell the others, unless we did a moment ago. */
  typed(sessionId, name) {
    const now = Date.now();
    if (now - this.#lastSent >= SEND_EVERY_MS && this.#client.signal(sessionId, 'typing', { name })) {
      this.#lastSent = now;
    }
  }

  /** The user sent their message: the next keystroke announces typing again at once. */
  sent() {
    this.#lastSent = 0;
  }

  /** A signal arrived. */
  received(signal) {
    if (signal.eventType !== 'typing') {
      return;
    }
    const name = typeof signal.payload?.name === 'string' ? signal.payload.name.slice(0, 60) : signal.userId;
    const typers = this.#typers.get(signal.sessionId) ?? new Map();
    typers.set(signal.userId, { name, until: Date.now() + SHOW_FOR_MS });
    this.#typers.set(signal.sessionId, typers);
    this.#onChange(signal.sessionId);
  }

  /** Their message arrived: they stopped typing. */
  stopped(sessionId, userId) {
    if (this.#typers.get(sessionId)?.delete(userId)) {
      this.#onChange(sessionId);
    }
  }

  /** "Ada is typing…", "Ada and Grace are typing…", or "". */
  describe(sessionId) {
    const names = [...(this.#typers.get(sessionId)?.values() ?? [])].map((typer) => typer.name);
    if (names.length === 0) {
      return '';
    }
    if (names.length > 3) {
      return 'Several people are typing…';
    }
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
    return `${list} ${names.length === 1 ? 'is' : 'are'} typing…`;
  }

  #expire() {
    const now = Date.now();
    for (const [sessionId, typers] of this.#typers) {
      let changed = false;
      for (const [userId, typer] of typers) {
        if (typer.until <= now) {
          typers.delete(userId);
          changed = true;
        }
      }
      if (changed) {
        this.#onChange(sessionId);
      }
    }
  }
}
