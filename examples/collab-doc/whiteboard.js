// The whiteboard: each stroke is an event (`sketch.stroke`) in the document's sketch session, so everyone, a late
// joiner included, draws every stroke from the log. Points are stored in 0-1 coordinates, so canvases of any size
// agree. Every stroke read is checked; a malformed one is ignored.
export const STROKE_EVENT = 'sketch.stroke';
const MAX_POINTS = 400;

function validStroke(payload) {
  return payload && typeof payload.color === 'string' && /^#[0-9a-f]{6}$/i.test(payload.color)
    && Array.isArray(payload.points) && payload.points.length >= 1 && payload.points.length <= MAX_POINTS
    && payload.points.every((p) => Array.isArray(p) && p.length === 2 && p.every((n) => Number.isFinite(n)
      && n >= 0 && n <= 1));
}

export class Whiteboard {
  #canvas;
  #client;
  #sessionId;
  #color;
  #onCount;
  #strokes = new Map();
  #drawing = null;
  #pending = [];

  constructor({ canvas, client, sessionId, color, onCount }) {
    this.#canvas = canvas;
    this.#client = client;
    this.#sessionId = sessionId;
    this.#color = color;
    this.#onCount = onCount;
    client.on('event', (event) => {
      if (event.sessionId === sessionId && event.eventType === STROKE_EVENT && validStroke(event.payload)) {
        this.#strokes.set(event.eventId, event.payload);
        this.#render();
      }
    });
    canvas.addEventListener('pointerdown', (e) => this.#start(e));
    canvas.addEventListener('pointermove', (e) => this.#move(e));
    canvas.addEventListener('pointerup', () => this.#end());
    canvas.addEventListener('pointerleave', () => this.#end());
    // Every stroke ever drawn (within the history window): the whole session from its start.
    client.subscribe(sessionId, { fromEventId: 0 });
    this.#render();
  }

  #point(e) {
    const box = this.#canvas.getBoundingClientRect();
    const clamp = (n) => Math.min(1, Math.max(0, Math.round(n * 1000) / 1000));
    return [clamp((e.clientX - box.left) / box.width), clamp((e.clientY - box.top) / box.height)];
  }

  #start(e) {
    this.#canvas.setPointerCapture?.(e.pointerId);
    this.#drawing = { color: this.#color, points: [this.#point(e)] };
    this.#render();
  }

  #move(e) {
    if (this.#drawing && this.#drawing.points.length < MAX_POINTS) {
      this.#drawing.points.push(this.#point(e));
      this.#render();
    }
  }

  #end() {
    const stroke = this.#drawing;
    this.#drawing = null;
    if (!stroke) {
      return;
    }
    // Shown as drawn until the log has it: then it comes back as an event like everyone else's.
    this.#pending.push(stroke);
    this.#client.publish(this.#sessionId, STROKE_EVENT, stroke, { timeoutMs: 30_000 })
      .catch(() => {}) // refused for good: the stroke disappears, as it is not on the board for anyone else
      .finally(() => {
        this.#pending = this.#pending.filter((s) => s !== stroke);
        this.#render();
      });
  }

  #render() {
    const ctx = this.#canvas.getContext('2d');
    const { width, height } = this.#canvas;
    ctx.clearRect(0, 0, width, height);
    ctx.lineWidth = 2;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    for (const stroke of [...this.#strokes.values(), ...this.#pending, ...(this.#drawing ? [this.#drawing] : [])]) {
      ctx.strokeStyle = stroke.color;
      ctx.beginPath();
      stroke.points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x * width, y * height) : ctx.lineTo(x * width,
        y * height)));
      if (stroke.points.length === 1) {
        ctx.lineTo(stroke.points[0][0] * width + 0.5, stroke.points[0][1] * height);
      }
      ctx.stroke();
    }
    this.#canvas.dataset.strokes = String(this.#strokes.size);
    this.#onCount(this.#strokes.size);
  }
}
