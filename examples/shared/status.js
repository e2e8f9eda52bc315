// The connection badge every example shows: connected or not, and over which transport.
import { el } from './dom.js';

const TRANSPORT_NAMES = { websocket: 'WebSocket', sse: 'Server-Sent Events', poll: 'long polling' };

/** Keeps `badge` showing the client's connection state; `data-state` and `data-transport` mirror it for tests. */
export function showConnection(client, badge) {
  const render = (change) => {
    const transport = TRANSPORT_NAMES[change.transport] ?? '';
    let text;
    switch (change.state) {
      case 'connected':
        text = change.fallback ? `Connected · ${transport} (fallback)` : `Connected · ${transport}`;
        break;
      case 'connecting':
        text = `Connecting${transport ? ` · ${transport}` : ''}…`;
        break;
      case 'reconnecting':
        text = change.retryInMs
          ? `Reconnecting in ${Math.max(1, Math.round(change.retryInMs / 1000))} s…`
          : 'Reconnecting…';
        break;
      case 'closed':
        text = change.reason ? `Disconnected: ${change.reason}` : 'Disconnected';
        break;
      default:
        text = 'Not connected';
    }
    badge.className = `status ${change.state}`;
    badge.dataset.state = change.state;
    badge.dataset.transport = change.transport ?? '';
    badge.replaceChildren(el('span', { class: 'dot', attrs: { 'aria-hidden': 'true' } }), text);
    badge.title = change.error ? change.error.message : '';
  };
  render(client.state);
  client.on('state', render);
}

/** Shows a message in a banner (`kind`: info, warning, error) until `ms` have passed (0: until replaced). */
export function flash(banner, message, kind = 'info', ms = 6000) {
  banner.textContent = message;
  banner.className = `banner ${kind}`;
  banner.hidden = false;
  clearTimeout(banner.hideTimer);
  if (ms > 0) {
    banner.hideTimer = setTimeout(() => {
      banner.hidden = true;
    }, ms);
  }
}
