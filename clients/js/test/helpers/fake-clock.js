/**
 * Fake time for the client's injectable clock and timers (ClientOptions `now` and `timers`): nothing the client
 * schedules runs until the test moves the clock, so a test about backoff, heartbeats, probes or token expiry takes
 * no wall-clock time and cannot race it.
 *
 *   const clock = new FakeClock();
 *   const client = createClient(testOptions(server, { ...clock.options }));
 *   await clock.until(() => client.state.state === 'connected', { what: 'connected' });
 */
export class FakeClock {
  #now;
  #nextId = 1;
  /** id -> {id, at, task} */
  #pending = new Map();

  /** Starts at the real time, so tokens minted from Date.now() expire when they say. */
  constructor(start = Date.now()) {
    this.#now = start;
  }

  now = () => this.#now;

  timers = {
    setTimeout: (task, ms = 0) => {
      const id = this.#nextId++;
      this.#pending.set(id, { id, at: this.#now + Math.max(0, Number(ms) || 0), task });
      return id;
    },
    clearTimeout: (id) => {
      this.#pending.delete(id);
    },
  };

  /** `now` and `timers`, to spread into the client's options. */
  get options() {
    return { now: this.now, timers: this.timers };
  }

  /** How far ahead each pending timer is, soonest first. */
  get pending() {
    return this.#queue().map((timer) => timer.at - this.#now);
  }

  /** Moves time forward by `ms`, running each timer that falls due on the way, in order. */
  async advance(ms) {
    const target = this.#now + ms;
    await settle();
    for (let next = this.#queue()[0]; next && next.at <= target; next = this.#queue()[0]) {
      this.#run(next);
      await settle();
    }
    this.#now = target;
  }

  /**
   * Waits for an outcome, letting time pass only as far as it takes: runs the pending timers one by one, soonest
   * first, until `predicate()` holds, and fails when it still does not after `withinMs` of fake time. Returns what
   * the predicate returned.
   */
  async until(predicate, { withinMs = 1_000, what = 'condition' } = {}) {
    const deadline = this.#now + withinMs;
    for (;;) {
      await settle();
      const value = predicate();
      if (value) {
        return value;
      }
      const next = this.#queue()[0];
      if (!next || next.at > deadline) {
        throw new Error(`timed out waiting for ${what} (${withinMs} ms of fake time)`);
      }
      this.#run(next);
    }
  }

  /** Runs timers until `promise` settles (see `until`), then returns it. */
  async drive(promise, options) {
    let settled = false;
    promise.then(() => { settled = true; }, () => { settled = true; });
    await this.until(() => settled, { what: 'the promise to settle', ...options });
    return promise;
  }

  #run(timer) {
    this.#pending.delete(timer.id);
    this.#now = Math.max(this.#now, timer.at);
    timer.task();
  }

  #queue() {
    return [...this.#pending.values()].sort((a, b) => a.at - b.at || a.id - b.id);
  }
}

/**
 * Lets work already under way finish before time moves on: promise chains, streams, and the fake server's answers.
 * Each turn of the event loop drains every queued promise job; no wall-clock time is waited for.
 */
export async function settle(turns = 10) {
  for (let i = 0; i < turns; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}
