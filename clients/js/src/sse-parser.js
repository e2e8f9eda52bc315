/**
 * An incremental `text/event-stream` parser (the WHATWG "event stream interpretation"), fed with decoded text as it
 * arrives. SSE is read with fetch rather than EventSource so the client sees HTTP statuses (401 asks for a new
 * token, 403 stops, 429 backs off), sends the token in a header and owns its reconnect timing.
 */
export class SseParser {
  #onMessage;
  #onRetry;
  #pending = '';
  #data = [];
  #lastEventId = '';
  /** A chunk that ended in CR: a LF at the start of the next chunk belongs to the same line ending. */
  #skipLeadingLf = false;

  /**
   * @param {(message: {data: string, lastEventId: string}) => void} onMessage
   * @param {(retryMs: number) => void} [onRetry]
   */
  constructor(onMessage, onRetry = () => {}) {
    this.#onMessage = onMessage;
    this.#onRetry = onRetry;
  }

  get lastEventId() {
    return this.#lastEventId;
  }

  push(text) {
    let chunk = text;
    if (this.#skipLeadingLf && chunk.startsWith('\n')) {
      chunk = chunk.slice(1);
    }
    this.#skipLeadingLf = false;
    let buffer = this.#pending + chunk;
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer[i];
      if (c !== '\n' && c !== '\r') {
        continue;
      }
      this.#line(buffer.slice(start, i));
      if (c === '\r') {
        if (i + 1 === buffer.length) {
          this.#skipLeadingLf = true;
        } else if (buffer[i + 1] === '\n') {
          i++;
        }
      }
      start = i + 1;
    }
    this.#pending = buffer.slice(start);
  }

  #line(line) {
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line.startsWith(':')) {
      return; // a comment
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    switch (field) {
      case 'data':
        this.#data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.#lastEventId = value;
        }
        break;
      case 'retry':
        if (/^\d+$/.test(value)) {
          this.#onRetry(Number(value));
        }
        break;
      default:
        break; // `event:` and unknown fields: Switchboard sends none that matter
    }
  }

  #dispatch() {
    if (this.#data.length === 0) {
      return;
    }
    const data = this.#data.join('\n');
    this.#data = [];
    this.#onMessage({ data, lastEventId: this.#lastEventId });
  }
}
