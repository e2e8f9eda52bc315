/**
 * One re-armable timer on the injected timers (connect timeouts, liveness checks, retries, probes): at most one
 * pending task, so re-arming replaces it rather than stacking another.
 */
export class Timer {
  #timers;
  #handle = null;

  /** @param {{setTimeout: Function, clearTimeout: Function}} timers */
  constructor(timers) {
    this.#timers = timers;
  }

  /** Whether a task is waiting to run. */
  get armed() {
    return this.#handle !== null;
  }

  arm(delayMs, task) {
    this.cancel();
    this.#handle = this.#timers.setTimeout(() => {
      this.#handle = null;
      task();
    }, Math.max(0, delayMs));
  }

  cancel() {
    if (this.#handle !== null) {
      this.#timers.clearTimeout(this.#handle);
      this.#handle = null;
    }
  }
}
