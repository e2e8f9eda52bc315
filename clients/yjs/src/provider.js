// SwitchboardProvider: a Yjs document on a Switchboard session, shaped like y-websocket's WebsocketProvider. A new
// document loads the newest snapshot and the events after it (document-loader.js), then subscribes from there;
// every local update is stored as an event (UpdatePublisher); every stored update of the others arrives as an event
// and is applied once, in log order, resuming from the last eventId after any drop on any transport; now and then a
// provider stores a snapshot (Snapshotter); awareness travels as signals (AwarenessRelay).
import { Awareness } from 'y-protocols/awareness';
import { compareEventIds, createClient } from '@switchboard/client';
import { Observable } from './observable.js';
import { AWARENESS_SIGNAL, AwarenessRelay } from './awareness-relay.js';
import { loadDocument } from './document-loader.js';
import { LogApplier } from './log-applier.js';
import { Snapshotter } from './snapshotter.js';
import { UpdatePublisher } from './update-publisher.js';

const STATUS = { connected: 'connected', connecting: 'connecting', reconnecting: 'connecting' };

export class SwitchboardProvider extends Observable {
  #ownsClient;
  #publisher;
  #relay;
  #applier;
  #snapshotter;
  #origin = globalThis.crypto.randomUUID();
  #lastEventId = null;
  #loading = null;
  #subscribed = false;
  #destroyed = false;
  #synced = false;
  #status = 'disconnected';
  #unlisten = [];
  #onDocUpdate;
  #retryMs;
  #pageSize;
  /** Stored updates of the others applied (each event at most once; each part of a large update counts). */
  applied = 0;
  /** The last load: `{head, events, snapshot}` (events read; the snapshot's eventId or null), or null before it. */
  loaded = null;

  /**
   * @param options `{ url, token, sessionId, doc, awareness?, WebSocket?, transports? }`, or `{ client, sessionId,
   *   doc, awareness? }` with a SwitchboardClient the application owns (it is neither connected nor closed here);
   *   and `awarenessIntervalMs`, `retryMs`, `snapshotEvery`, `snapshotIdleMs` (see index.d.ts).
   */
  constructor({ client, url, token, WebSocket, transports, sessionId, doc, awareness = new Awareness(doc),
    awarenessIntervalMs, retryMs = 1000, snapshotEvery = 500, snapshotIdleMs = 10_000 } = {}) {
    super();
    if (!sessionId || !doc) {
      throw new TypeError('SwitchboardProvider needs a sessionId and a doc');
    }
    if (!Number.isInteger(snapshotEvery) || snapshotEvery < 1) {
      throw new RangeError('snapshotEvery is a positive number of events');
    }
    this.sessionId = sessionId;
    this.doc = doc;
    this.awareness = awareness;
    this.#retryMs = retryMs;
    this.#pageSize = snapshotEvery;
    this.#ownsClient = !client;
    this.client = client ?? createClient({ url, token, WebSocket, transports });
    const onError = (error) => this.emit('connection-error', [error, this]);
    this.#publisher = new UpdatePublisher({ client: this.client, sessionId, origin: this.#origin, retryMs, onError });
    this.#relay = new AwarenessRelay({ client: this.client, sessionId, awareness, intervalMs: awarenessIntervalMs });
    this.#applier = new LogApplier({ doc, origin: this.#origin, applyOrigin: this });
    this.#snapshotter = new Snapshotter({ client: this.client, sessionId, doc, every: snapshotEvery,
      idleMs: snapshotIdleMs, retryMs, covered: () => this.#coveredPosition(), onError });

    this.#onDocUpdate = (update, origin) => {
      if (origin !== this) {
        this.#publisher.add(update);
      }
    };
    doc.on('update', this.#onDocUpdate);
    this.#listen();
    this.#load();
  }

  /** True once the stored history has been applied (the load, then the subscription's replay). */
  get synced() {
    return this.#synced;
  }

  set synced(value) {
    if (this.#synced !== value) {
      this.#synced = value;
      this.emit('synced', [value]);
      this.emit('sync', [value]);
    }
  }

  /** 'connected', 'connecting' or 'disconnected', as the `status` event reports it. */
  get status() {
    return this.#status;
  }

  /** Events stored for local updates, how many of those the server already had (a retry), and snapshots stored. */
  get publishes() {
    return { published: this.#publisher.published, duplicates: this.#publisher.duplicates,
      snapshots: this.#snapshotter.published };
  }

  /** Resolves once every local update made so far is stored in the log. */
  flushed() {
    return this.#publisher.idle();
  }

  /** Stores a snapshot of the document now (it also happens by itself); resolves once it is stored. */
  compact() {
    return this.#snapshotter.compact();
  }

  destroy() {
    this.#destroyed = true;
    this.#relay.destroy();
    this.#publisher.stop();
    this.#snapshotter.stop();
    this.doc.off('update', this.#onDocUpdate);
    this.#unlisten.forEach((off) => off());
    if (this.#ownsClient) {
      this.client.close();
    } else {
      this.client.unsubscribe(this.sessionId);
    }
    super.destroy();
  }

  /** Loads the document (at start, and after a `reset`), retrying after retryMs while the node cannot answer. */
  #load() {
    this.#loading ??= (async () => {
      while (!this.#destroyed) {
        try {
          const loaded = await loadDocument({ client: this.client, sessionId: this.sessionId,
            applier: this.#applier, pageSize: this.#pageSize });
          if (this.#destroyed) {
            return;
          }
          this.loaded = loaded;
          if (this.#lastEventId === null || compareEventIds(loaded.head, this.#lastEventId) > 0) {
            this.#lastEventId = loaded.head;
          }
          this.#snapshotter.loaded(loaded.snapshot === null ? Number(loaded.head)
            : Number(BigInt(loaded.head) - BigInt(loaded.snapshot)));
          this.#subscribe();
          return;
        } catch (error) {
          this.emit('connection-error', [error, this]);
          await new Promise((done) => setTimeout(done, this.#retryMs));
        }
      }
    })().finally(() => {
      this.#loading = null;
    });
  }

  #subscribe() {
    if (this.#subscribed) {
      return;
    }
    this.#subscribed = true;
    this.client.subscribe(this.sessionId, { fromEventId: this.#lastEventId });
    if (this.#ownsClient) {
      this.client.connect();
    } else if (this.client.state.state === 'connected' && this.client.state.transport === 'poll') {
      // Loaded up to the head, on a client already polling: no `replayed` and no new `connected` will come.
      this.synced = true;
    }
  }

  /** The position the document holds every stored event up to: parts of an update still missing hold it back. */
  #coveredPosition() {
    if (!this.#synced || this.#lastEventId === null) {
      return null;
    }
    const waiting = this.#applier.oldestWaitingPart();
    return waiting === null ? this.#lastEventId : String(BigInt(waiting) - 1n);
  }

  #listen() {
    const mine = (handler) => (value) => value.sessionId === this.sessionId && handler(value);
    this.#unlisten.push(
      this.client.on('event', mine((event) => this.#receive(event))),
      this.client.on('replayed', mine(() => {
        this.synced = true;
      })),
      this.client.on('reset', mine((reset) => this.#onReset(reset))),
      this.client.on('signal', mine((signal) => signal.eventType === AWARENESS_SIGNAL && this.#relay.receive(signal))),
      this.client.on('presence', mine((change) => change.action === 'leave' && this.#relay.userLeft(change.user.userId))),
      this.client.on('state', (change) => this.#onState(change)),
    );
  }

  #onState(change) {
    const status = STATUS[change.state] ?? 'disconnected';
    if (change.state === 'connected') {
      this.#relay.announce();
      // Long polling reports no replay for a subscription from a position: connected means caught up there.
      if (change.transport === 'poll' && this.#subscribed) {
        this.synced = true;
      }
    }
    if (status !== this.#status) {
      this.#status = status;
      this.emit('status', [{ status }]);
    }
  }

  /** The events after our position were deleted by retention: load again from the newest snapshot. */
  #onReset(reset) {
    this.#lastEventId = reset.lastEventId;
    this.#load();
  }

  #receive(event) {
    if (this.#lastEventId !== null && compareEventIds(event.eventId, this.#lastEventId) <= 0) {
      return;
    }
    this.#lastEventId = event.eventId;
    const kind = this.#applier.apply(event);
    if (kind === 'update') {
      this.applied++;
    }
    if (kind !== null) {
      this.#snapshotter.observe(kind);
    }
  }
}
