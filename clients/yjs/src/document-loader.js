// A document opening: its newest snapshot and the events after the position that snapshot covers, read backwards
// from the head over REST, so a document's whole life is never replayed. eventIds are gapless (docs/PROTOCOL.md,
// Words), so reading back from the head finds the newest snapshot within about one snapshot interval.
import { isYjsSnapshot } from './log-applier.js';

/** Past every head: the history answers a position beyond the head with a reset that names the head. */
const BEYOND_ANY_HEAD = '999999999999999999'; // the largest eventId the server reads (18 digits)
const MAX_PAGE = 1000;

/** The position a snapshot covers: its `after` when that is an eventId below its own, else the event before it. */
export function coveredBy(snapshot) {
  const own = BigInt(snapshot.eventId);
  const after = snapshot.payload?.after;
  return typeof after === 'string' && /^[0-9]{1,18}$/.test(after) && BigInt(after) < own ? BigInt(after) : own - 1n;
}

/**
 * Reads what a fresh document needs and applies it.
 *
 * @returns `{head, events, snapshot}`: the position to subscribe from, how many events were read, and the eventId of
 *   the snapshot loaded (null when there was none)
 */
export async function loadDocument({ client, sessionId, applier, pageSize }) {
  const probe = await client.history(sessionId, { after: BEYOND_ANY_HEAD, limit: 1 });
  const head = BigInt(probe.reset?.lastEventId ?? probe.lastEventId);
  const limit = Math.min(MAX_PAGE, Math.max(1, pageSize));
  let events = [];
  let snapshot = null;
  let read = 0;
  let before = head + 1n;
  while (before > 1n && (snapshot === null || before - 1n > coveredBy(snapshot))) {
    const page = await client.history(sessionId, { before: String(before), limit });
    if (page.reset) {
      // Retention deleted the start of this page: what is retained starts later, and is read forwards.
      const retained = await readRetained(client, sessionId, before);
      read += retained.length;
      events = retained.concat(events);
      break;
    }
    // A page from 0 is "whatever is retained" and may reach past `before`.
    const fresh = page.events.filter((e) => BigInt(e.eventId) < before);
    read += fresh.length;
    events = fresh.concat(events); // pages arrive newest first
    snapshot ??= fresh.findLast(isYjsSnapshot) ?? null;
    if (fresh.length === 0) {
      break;
    }
    before = BigInt(fresh[0].eventId);
  }
  snapshot = events.findLast(isYjsSnapshot) ?? null;
  const floor = snapshot === null ? 0n : coveredBy(snapshot);
  for (const event of events) {
    if (BigInt(event.eventId) > floor) {
      applier.apply(event, { loading: true });
    }
  }
  applier.finishLoading();
  return { head: String(head), events: read, snapshot: snapshot?.eventId ?? null };
}

/** Every retained event below `before`, read forwards from the oldest retained one. */
async function readRetained(client, sessionId, before) {
  const events = [];
  let after = '0';
  for (;;) {
    const page = await client.history(sessionId, { after, limit: MAX_PAGE });
    const below = page.events.filter((e) => BigInt(e.eventId) < before);
    events.push(...below);
    if (below.length < page.events.length || page.events.length < MAX_PAGE || page.reset) {
      return events;
    }
    after = page.lastEventId;
  }
}
