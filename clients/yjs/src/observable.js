// The small event emitter of y-websocket's providers (on / once / off), so code written against them keeps working.
export class Observable {
  #observers = new Map();

  on(name, listener) {
    if (!this.#observers.has(name)) {
      this.#observers.set(name, new Set());
    }
    this.#observers.get(name).add(listener);
  }

  once(name, listener) {
    const wrapper = (...args) => {
      this.off(name, wrapper);
      listener(...args);
    };
    this.on(name, wrapper);
  }

  off(name, listener) {
    this.#observers.get(name)?.delete(listener);
  }

  /** Calls every listener of `name` with `args` (an array, as in lib0's Observable). */
  emit(name, args) {
    for (const listener of [...(this.#observers.get(name) ?? [])]) {
      listener(...args);
    }
  }

  destroy() {
    this.#observers.clear();
  }
}
