/** Parses one server frame (a WebSocket text message or an SSE `data:` block); null for anything not a JSON object. */
export function parseFrame(text) {
  if (typeof text !== 'string') {
    return null;
  }
  try {
    const frame = JSON.parse(text);
    return frame !== null && typeof frame === 'object' && !Array.isArray(frame) && typeof frame.type === 'string'
      ? frame
      : null;
  } catch {
    return null;
  }
}
