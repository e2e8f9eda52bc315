/** The node's base URL: the given one, else the page's own origin (a page served by the node itself). */
export function resolveBaseUrl(url) {
  const base = url ?? globalThis.location?.origin;
  if (!base) {
    throw new TypeError('Switchboard: pass options.url (e.g. "http://localhost:8080") outside a browser page');
  }
  return String(base).replace(/\/+$/, '');
}

/** The WebSocket address of a path on the node: http -> ws, https -> wss. */
export function webSocketUrl(baseUrl, path) {
  return baseUrl.replace(/^http(s?):/i, 'ws$1:') + path;
}

/** `?a=1&a=2&b=3` from [[name, value], ...], skipping null values. */
export function query(pairs) {
  const params = new URLSearchParams();
  for (const [name, value] of pairs) {
    if (value !== null && value !== undefined) {
      params.append(name, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
