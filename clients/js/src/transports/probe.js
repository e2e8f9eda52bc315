import { parseFrame } from '../frames.js';
import { webSocketUrl } from '../urls.js';

/**
 * Whether a WebSocket to the node works right now: opens one with no session, authenticates, and waits for
 * `connected`. Used while the client runs on a fallback transport, to return to WebSocket once a proxy lets it
 * through again. Resolves true or false, never rejects.
 */
export function probeWebSocket({ WebSocket, baseUrl, token, timers, timeoutMs }) {
  return new Promise((resolve) => {
    let ws;
    let settled = false;
    const settle = (ok) => {
      if (settled) {
        return;
      }
      settled = true;
      timers.clearTimeout(timer);
      try {
        ws?.close(1000);
      } catch {
        // already closed
      }
      resolve(ok);
    };
    const timer = timers.setTimeout(() => settle(false), timeoutMs);
    try {
      ws = new WebSocket(webSocketUrl(baseUrl, '/events'));
    } catch {
      settle(false);
      return;
    }
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
    ws.onmessage = (message) => settle(parseFrame(String(message.data))?.type === 'connected');
    ws.onerror = () => settle(false);
    ws.onclose = () => settle(false);
  });
}
