/**
 * eventIds are decimal strings of per-session sequence numbers. They are compared as strings (length first), so
 * numbers past 2^53 keep their order without BigInt.
 */
export function compareEventIds(a, b) {
  const x = normalize(a);
  const y = normalize(b);
  if (x.length !== y.length) {
    return x.length < y.length ? -1 : 1;
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether `value` is an eventId (a non-negative decimal integer, as a string or a safe number). */
export function isEventId(value) {
  return (typeof value === 'string' && /^\d{1,20}$/.test(value))
    || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);
}

function normalize(id) {
  const text = String(id).replace(/^0+(?=\d)/, '');
  return text;
}
