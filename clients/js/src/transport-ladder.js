/**
 * Which transport the client is on, and when to step down to the next one: WebSocket, then SSE, then long polling.
 * Repeated failures to even connect mean something is in the way (a proxy that refuses upgrades or buffers streams);
 * a transport that has worked on this client gets more attempts, since then a failure is more likely an outage.
 * Stepping back up to WebSocket is the upgrade probe's decision (upgrade-probe.js).
 */
export class TransportLadder {
  #names;
  #index = 0;
  #failures = 0;
  #everOpened = new Set();
  #cameFrom = null;
  #fallbackAfter;
  #fallbackAfterWorked;

  /**
   * @param {string[]} names the transports to use, best first (transports/index.js, orderTransports)
   * @param {{fallbackAfter: number, fallbackAfterWorked: number}} limits failed attempts before stepping down
   */
  constructor(names, { fallbackAfter, fallbackAfterWorked }) {
    this.#names = names;
    this.#fallbackAfter = fallbackAfter;
    this.#fallbackAfterWorked = fallbackAfterWorked;
  }

  /** The transport to use (or in use) now. */
  get current() {
    return this.#names[this.#index];
  }

  /** Whether the client runs below WebSocket while WebSocket is one of its transports. */
  get onFallback() {
    return this.isFallback(this.current);
  }

  /** Whether `name` is a transport below WebSocket, with WebSocket one of the client's transports. */
  isFallback(name) {
    const wsIndex = this.#names.indexOf('websocket');
    return name !== null && wsIndex >= 0 && this.#names.indexOf(name) > wsIndex;
  }

  /** `connect()`: start again from the best transport. What has worked before is remembered. */
  reset() {
    this.#index = 0;
    this.#failures = 0;
    this.#cameFrom = null;
  }

  /**
   * The transport the client was on, or last tried, before it changed to the current one, until the current one
   * reaches `connected`; null otherwise. Sent as `fallbackFrom` (docs/PROTOCOL.md, Transport history).
   */
  get cameFrom() {
    return this.#cameFrom;
  }

  /** The current transport reached `connected`. */
  opened() {
    this.#cameFrom = null;
    this.#failures = 0;
    this.#everOpened.add(this.current);
  }

  /** An attempt on the current transport ended before `connected`; true when the ladder stepped down for it. */
  failedToConnect() {
    this.#failures++;
    const limit = this.#everOpened.has(this.current) ? this.#fallbackAfterWorked : this.#fallbackAfter;
    if (this.#index < this.#names.length - 1 && this.#failures >= limit) {
      this.#cameFrom = this.current;
      this.#index++;
      this.#failures = 0;
      return true;
    }
    return false;
  }

  /** A WebSocket probe got through: back to the top. */
  returnToWebSocket() {
    if (this.current !== 'websocket') {
      this.#cameFrom = this.current;
    }
    this.#index = this.#names.indexOf('websocket');
    this.#failures = 0;
  }
}
