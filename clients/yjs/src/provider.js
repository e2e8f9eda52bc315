// SwitchboardProvider: a Yjs document on a Switchboard session, shaped like y-websocket's WebsocketProvider. Every
// local update is stored as an event (UpdatePublisher); every stored update of the others arrives as an event and is
// applied once, in log order, resuming from the last eventId after any drop on any transport; awareness travels as
// signals (AwarenessRelay).
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { compareEventIds, createClient } from '@switchboard/client';
import { fromBase64 } from './base64.js';
import { Observable } from './observable.js';
import { AWARENESS_SIGNAL, AwarenessRelay } from './awareness-relay.js';
import { UPDATE_EVENT, UpdatePublisher } from './update-publisher.js';

const STATUS = { connected: 'connected', connecting: 'connecting', reconnecting: 'connecting' };

export class SwitchboardProvider extends Observable {
  #ownsClient;
  #publisher;
  #relay;
  #origin = globalThis.crypto.randomUUID();
  #lastEventId = null;
  #synced = false;
  #status = 'disconnected';
  #unlisten = [];
  #onDocUpdate;
  /** Remote updates applied to the document (each stored event at most once). */
  applied = 0;

  /**
   * @param options `{ url, token, sessionId, doc, awareness?, WebSocket?, transports? }`, or `{ client, sessionId,
   *   doc, awareness? }` with a SwitchboardClient the application owns (it is neither connected nor closed here).
   */
  constructor({ client, url, token, WebSocket, transports, sessionId, doc, awareness = new Awareness(doc),
    awarenessIntervalMs, retryMs } = {}) {
    super();
    if (!sessionId || !doc) {
      throw new TypeError('SwitchboardProvider needs a sessionId and a doc');
    }
    this.sessionId = sessionId;
    this.doc = doc;
    this.awareness = awareness;
    this.#ownsClient = !client;
    this.client = client ?? createClient({ url, token, WebSocket, transports });
    this.#publisher = new UpdatePublisher({ client: this.client, sessionId, origin: this.#origin, retryMs,
      onError: (error) => this.emit('connection-error', [error, this]) });
    this.#relay = new AwarenessRelay({ client: this.client, sessionId, awareness, intervalMs: awarenessIntervalMs });

    this.#onDocUpdate = (update, origin) => {
      if (origin !== this) {
        this.#publisher.add(update);
      }
    };
    doc.on('update', this.#onDocUpdate);
    this.#listen();
    this.client.subscribe(sessionId, { fromEventId: 0 });
    if (this.#ownsClient) {
      this.client.connect();
    }
  }

  /** True once the stored history has been applied (after the first subscription's replay). */
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

  /** How many local batches were stored, and how many of those the server already had (a retry). */
  get publishes() {
    return { published: this.#publisher.published, duplicates: this.#publisher.duplicates };
  }

  /** Resolves once every local update made so far is stored in the log. */
  flushed() {
    return this.#publisher.idle();
  }

  destroy() {
    this.#relay.destroy();
    this.#publisher.stop();
    this.doc.off('update', this.#onDocUpdate);
    this.#unlisten.forEach((off) => off());
    if (this.#ownsClient) {
      this.client.close();
    } else {
      this.client.unsubscribe(this.sessionId);
    }
    super.destroy();
  }

  #listen() {
    const mine = (handler) => (value) => value.sessionId === this.sessionId && handler(value);
    this.#unlisten.push(
      this.client.on('event', mine((event) => this.#receive(event))),
      this.client.on('replayed', mine(() => {
        this.synced = true;
      })),
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
      if (change.transport === 'poll') {
        this.synced = true;
      }
    }
    if (status !== this.#status) {
      this.#status = status;
      this.emit('status', [{ status }]);
    }
  }

  #receive(event) {
    if (event.eventType !== UPDATE_EVENT) {
      return;
    }
    if (this.#lastEventId !== null && compareEventIds(event.eventId, this.#lastEventId) <= 0) {
      return;
    }
    this.#lastEventId = event.eventId;
    if (event.payload?.origin === this.#origin) {
      return;
    }
    Y.applyUpdate(this.doc, fromBase64(event.payload.update), this);
    this.applied++;
  }
}
