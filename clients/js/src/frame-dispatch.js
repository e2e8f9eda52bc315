import { errorFromFrame } from './errors.js';

/**
 * Routes each server frame, whatever transport carried it, to where it belongs: the session's state (position,
 * dedupe, presence), the publisher (acks and errors of publishes), and the application's listeners.
 */
export class FrameDispatcher {
  #subscriptions;
  #publisher;
  #emit;

  /**
   * @param {{subscriptions: import('./subscriptions.js').Subscriptions,
   *   publisher: import('./publisher.js').Publisher, emit: (type: string, value: unknown) => void}} deps
   */
  constructor({ subscriptions, publisher, emit }) {
    this.#subscriptions = subscriptions;
    this.#publisher = publisher;
    this.#emit = emit;
  }

  dispatch(frame) {
    const session = typeof frame.sessionId === 'string' ? this.#subscriptions.get(frame.sessionId) : undefined;
    switch (frame.type) {
      case 'event':
        if (session?.accept(frame)) {
          this.#emit('event', frame);
        }
        break;
      case 'replayed':
        session?.replayed(frame.lastEventId);
        break;
      case 'reset':
        if (session) {
          session.reset(frame.lastEventId);
          this.#emit('reset', { sessionId: frame.sessionId, reason: frame.reason, lastEventId: frame.lastEventId });
        }
        break;
      case 'presence':
        if (session) {
          session.applyPresence(frame.action, frame.user);
          this.#emit('presence', { sessionId: frame.sessionId, action: frame.action, user: frame.user,
            users: session.users, count: session.count });
        }
        break;
      case 'presence.state':
        if (session) {
          this.#presenceState(session, frame);
        }
        break;
      case 'signal':
        this.#emit('signal', frame);
        break;
      case 'ack':
        this.#publisher.onAck(frame);
        break;
      case 'error':
        this.#error(frame);
        break;
      case 'unsubscribed':
        // The server ended the subscription (a refreshed token no longer allows it): drop it rather than resume it.
        this.#subscriptions.remove(frame.sessionId);
        this.#emit('error', errorFromFrame(frame, 'unsubscribed', { sessionId: frame.sessionId }));
        break;
      default:
        break;
    }
  }

  #presenceState(session, frame) {
    const before = presenceKey(session);
    session.setPresence(frame.users, frame.count);
    // Polled presence repeats itself every few seconds; only a change is news.
    if (!frame.polled || presenceKey(session) !== before) {
      this.#emit('presence', { sessionId: frame.sessionId, action: 'state', users: session.users,
        count: session.count });
    }
  }

  #error(frame) {
    if (this.#publisher.onError(frame)) {
      return;
    }
    const subscribed = typeof frame.requestId === 'string' && frame.requestId.startsWith('subscribe:')
      ? frame.requestId.slice('subscribe:'.length)
      : undefined;
    if (subscribed !== undefined && frame.code === 'forbidden') {
      // The token does not allow this session: keep the rest, drop this one rather than retry it forever.
      this.#subscriptions.remove(subscribed);
    }
    this.#emit('error', errorFromFrame(frame, 'error', { sessionId: subscribed }));
  }
}

function presenceKey(session) {
  return JSON.stringify([session.count,
    session.users.map((u) => [u.userId, u.name ?? null, u.actorType ?? null]).sort()]);
}
