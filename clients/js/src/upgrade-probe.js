import { Timer } from './timer.js';

/**
 * While the client runs on a fallback transport, it tries a WebSocket now and then in the background, and asks to
 * switch back when one gets through (a proxy that let it through again, a network that changed). The probes are
 * jittered between half and all of `intervalMs`, so a crowd of clients does not probe in step.
 */
export class UpgradeProbe {
  #deps;
  #timer;
  #probing = false;
  /** Counts cancellations, so a probe that was in flight when cancelled changes nothing when it returns. */
  #round = 0;

  /**
   * @param {{timers: {setTimeout: Function, clearTimeout: Function}, random: () => number, intervalMs: number,
   *   wanted: () => boolean, probe: () => Promise<boolean>, onSuccess: () => void}} deps `wanted`: whether probing
   *   makes sense now (connecting, below WebSocket); `probe`: one attempt; `onSuccess`: switch back now
   */
  constructor(deps) {
    this.#deps = deps;
    this.#timer = new Timer(deps.timers);
  }

  /** Plans the next probe, unless one is planned or running already, or probing makes no sense now. */
  schedule() {
    if (this.#timer.armed || this.#probing || !this.#deps.wanted()) {
      return;
    }
    const base = this.#deps.intervalMs;
    this.#timer.arm(base / 2 + this.#deps.random() * base / 2, () => this.#run());
  }

  cancel() {
    this.#round++;
    this.#probing = false;
    this.#timer.cancel();
  }

  async #run() {
    const round = this.#round;
    this.#probing = true;
    const works = await this.#deps.probe();
    if (round !== this.#round) {
      return;
    }
    this.#probing = false;
    if (!this.#deps.wanted()) {
      return;
    }
    if (works) {
      this.#deps.onSuccess();
    } else {
      this.schedule();
    }
  }
}
