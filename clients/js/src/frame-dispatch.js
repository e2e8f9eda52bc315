import { errorFromFrame } from './errors.js';

/**
 * Routes each server frame, whatever transport carried it, to where it belongs: the session's state (position,
 * dedupe, presence), the publisher (acks and errors of publishes), and the application's listeners.
 */
export class FrameDispatcher {
  #subscriptions;
  #publisher;
  #readMarks;
  #emit;
  #rereadPresence;

  /**
   * @param {{subscriptions: import('./subscriptions.js').Subscriptions,
   *   publisher: import('./publisher.js').Publisher, readMarks?: import('./read-positions.js').ReadMarks,
   *   emit: (type: string, value: unknown) => void,
   *   rereadPresence?: (sessionId: string) => void}} deps `rereadPresence` asks the server for a session's
   *   presence again, when the list the client holds has missed users
   */
  constructor({ subscriptions, publisher, readMarks, emit, rereadPresence = () => {} }) {
    this.#subscriptions = subscriptions;
    this.#publisher = publisher;
    this.#readMarks = readMarks;
    this.#emit = emit;
    this.#rereadPresence = rereadPresence;
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
        if (session) {
          session.replayed(frame.lastEventId);
          if (frame.readEventId !== undefined) {
            session.setPositions(frame);
            this.#emit('positions', session.positions);
          }
          this.#emit('replayed', { sessionId: frame.sessionId, lastEventId: session.position });
        }
        break;
      case 'positions':
        // Without an answer waiting for it, the user read on another connection: show it here too.
        if (!this.#readMarks?.onPositions(frame) && session) {
          session.setPositions(frame);
          this.#emit('positions', session.positions);
        }
        break;
      case 'reset':
        if (session) {
          session.reset(frame.lastEventId);
          this.#emit('reset', { sessionId: frame.sessionId, reason: frame.reason, lastEventId: frame.lastEventId });
        }
        break;
      case 'presence.diff':
        if (session) {
          this.#presenceDiff(session, frame);
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

  /**
   * A diff names several joins and leaves at once; each is reported on its own (leaves first), as applications
   * know them, with the list and count after the whole diff. A diff with counts only, or one where only anonymous
   * subscribers came or went, is one `count` change. Every change carries the anonymous counts after the diff.
   */
  #presenceDiff(session, frame) {
    const sessionId = frame.sessionId;
    if (session.applyDiff(frame)) {
      this.#rereadPresence(sessionId);
    }
    const { users, count, anonymous } = session;
    if (!session.listed || (frame.joins.length === 0 && frame.leaves.length === 0)) {
      this.#emit('presence', { sessionId, action: 'count', users, count, anonymous, joined: frame.joined ?? 0,
        left: frame.left ?? 0 });
      return;
    }
    for (const user of frame.leaves) {
      this.#emit('presence', { sessionId, action: 'leave', user, users, count, anonymous });
    }
    for (const user of frame.joins) {
      this.#emit('presence', { sessionId, action: 'join', user, users, count, anonymous });
    }
  }

  #presenceState(session, frame) {
    const before = presenceKey(session);
    session.setPresence(frame.users, frame.count, frame.anonymous);
    // Polled presence repeats itself every few seconds; only a change is news.
    if (!frame.polled || presenceKey(session) !== before) {
      this.#emit('presence', { sessionId: frame.sessionId, action: 'state', users: session.users,
        count: session.count, anonymous: session.anonymous });
    }
  }

  #error(frame) {
    if (this.#publisher.onError(frame) || this.#readMarks?.onError(frame)) {
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
  return JSON.stringify([session.count, Object.entries(session.anonymous).sort(),
    session.users.map((u) => [u.userId, u.name ?? null, u.actorType ?? null]).sort()]);
}
