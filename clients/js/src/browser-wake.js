/**
 * Calls `onWake('online')` when the browser is back online and `onWake('visible')` when the page is visible again,
 * the moments to reconnect at once instead of waiting out the backoff (docs/PROTOCOL.md, Recommended client
 * behaviour). Outside a browser it watches nothing. Returns a function that stops watching.
 */
export function watchBrowser(onWake) {
  if (typeof globalThis.addEventListener !== 'function') {
    return () => {};
  }
  const onOnline = () => onWake('online');
  const doc = globalThis.document;
  const onVisibility = () => doc.visibilityState === 'visible' && onWake('visible');
  globalThis.addEventListener('online', onOnline);
  doc?.addEventListener('visibilitychange', onVisibility);
  return () => {
    globalThis.removeEventListener('online', onOnline);
    doc?.removeEventListener('visibilitychange', onVisibility);
  };
}
