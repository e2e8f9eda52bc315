/** How many events a history page asks for unless told otherwise (the server's default). */
export const HISTORY_PAGE_LIMIT = 100;

/** The server's largest page (docs/PROTOCOL.md, Limits: history page). */
const MAX_LIMIT = 1000;

/**
 * The `after` and `limit` of the history page a caller means. The REST history reads forward only, but eventIds are
 * gapless (docs/PROTOCOL.md, Words), so the `limit` events just below `before` are exactly those after
 * `before - 1 - limit`: scrolling back needs no other endpoint. BigInt keeps eventIds past 2^53 exact.
 *
 * @param {{after?: string|number, before?: string|number, limit?: number}} request
 * @returns {{after: string, limit: number}} `limit` 0 when there is nothing below `before`
 */
export function historyWindow({ after, before, limit = HISTORY_PAGE_LIMIT }) {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new RangeError(`Switchboard: a history limit is 1-${MAX_LIMIT}`);
  }
  if (after !== undefined && before !== undefined) {
    throw new TypeError('Switchboard: history takes `after` or `before`, not both');
  }
  if (before === undefined) {
    return { after: String(after ?? '0'), limit };
  }
  const end = BigInt(before) - 1n; // the highest eventId of the page
  const start = end - BigInt(limit) > 0n ? end - BigInt(limit) : 0n;
  return { after: String(start), limit: end > start ? Number(end - start) : 0 };
}
