/** What the application can listen to, each also accepted as an `on<Type>` option (`onEvent`, `onState`, ...). */
export const LISTENER_TYPES = Object.freeze(['event', 'replayed', 'presence', 'state', 'reset', 'signal', 'positions',
  'error']);

/** The application's listeners, by type. */
export class Listeners {
  #byType = Object.fromEntries(LISTENER_TYPES.map((type) => [type, new Set()]));

  /** Registers the `on<Type>` callbacks among the client's options. */
  addFromOptions(options) {
    for (const type of LISTENER_TYPES) {
      const callback = options[`on${type[0].toUpperCase()}${type.slice(1)}`];
      if (typeof callback === 'function') {
        this.on(type, callback);
      }
    }
  }

  /** Adds a listener; returns a function that removes it. */
  on(type, listener) {
    const set = this.#byType[type];
    if (!set) {
      throw new TypeError(`Switchboard: unknown listener type '${type}'`);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  emit(type, value) {
    for (const listener of [...this.#byType[type]]) {
      try {
        listener(value);
      } catch (error) {
        // An application bug must not break delivery to the other listeners or the client's own bookkeeping.
        (globalThis.reportError ?? console.error)(error);
      }
    }
  }
}
