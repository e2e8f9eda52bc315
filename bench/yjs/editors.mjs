// One simulated editor per WebSocket, speaking each system's wire protocol exactly as its own provider does, so
// that 200 of them fit in one generator process: every editor keeps a Y.Doc of its own edits only (its keystrokes
// are real Yjs updates), and only a few observers decode what arrives (to time it); the others only count bytes.
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';

const toBase64 = (bytes) => Buffer.from(bytes).toString('base64');

/** Bytes in and out of one editor, the updates it sent, and the others' updates it received (observers only). */
export class Meter {
  sentBytes = 0;
  sentUpdates = 0;
  receivedBytes = 0;
  receivedUpdates = 0;
}

/**
 * `connect(index, meter, observe)` resolves with `{send(update), close()}` once the editor can edit; on observers,
 * `observe(update)` is called with each update that arrives (servers that echo an editor's own updates included).
 */
export const protocols = {
  /** Switchboard: `yjs.update` events as @switchboard/yjs publishes them (base64 update, origin), over WebSocket. */
  switchboard: ({ port, docName, token }) => async (index, meter, observe) => {
    const sessionId = `doc:${docName}`;
    const origin = `editor-${index}`;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/events?sessionId=${encodeURIComponent(sessionId)}`,
      { headers: { Authorization: `Bearer ${await token(`editor-${index}`)}` } });
    let requests = 0;
    ws.on('message', (data) => {
      meter.receivedBytes += data.length;
      if (!observe) {
        return;
      }
      const frame = JSON.parse(data);
      if (frame.type === 'event' && frame.eventType === 'yjs.update' && frame.payload.origin !== origin) {
        observe(Buffer.from(frame.payload.update, 'base64'));
      }
    });
    await new Promise((done, fail) => {
      ws.on('message', function ready(data) {
        if (JSON.parse(data).type === 'replayed') {
          ws.off('message', ready);
          done();
        }
      });
      ws.once('error', fail);
    });
    return {
      send(update) {
        const frame = JSON.stringify({ type: 'publish', requestId: String(++requests), sessionId,
          eventType: 'yjs.update', payload: { update: toBase64(update), origin },
          idempotencyKey: `${origin}-${requests}` });
        meter.sentBytes += Buffer.byteLength(frame);
        meter.sentUpdates++;
        ws.send(frame);
      },
      close: () => ws.terminate(),
    };
  },

  /** y-websocket's server: binary sync messages (messageSync, then the update) on ws://host/<doc>. */
  'y-websocket': ({ port, docName }) => async (index, meter, observe) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/${docName}`);
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data) => {
      meter.receivedBytes += data.length;
      if (!observe) {
        return;
      }
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) === 0 && decoding.readVarUint(decoder) === syncProtocol.messageYjsUpdate) {
        observe(decoding.readVarUint8Array(decoder));
      }
    });
    await new Promise((done, fail) => {
      ws.once('open', done);
      ws.once('error', fail);
    });
    // As the provider does on open: sync step 1 with an empty state vector (the server answers with step 2).
    const hello = encoding.createEncoder();
    encoding.writeVarUint(hello, 0);
    syncProtocol.writeSyncStep1(hello, new Y.Doc());
    ws.send(encoding.toUint8Array(hello));
    return {
      send(update) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, 0);
        syncProtocol.writeUpdate(encoder, update);
        const message = encoding.toUint8Array(encoder);
        meter.sentBytes += message.length;
        meter.sentUpdates++;
        ws.send(message);
      },
      close: () => ws.terminate(),
    };
  },

  /** Hocuspocus: the document name before every message, an Auth message first, then sync as y-websocket. */
  hocuspocus: ({ port, docName }) => async (index, meter, observe) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    ws.binaryType = 'nodebuffer';
    let authenticated;
    const ready = new Promise((done) => {
      authenticated = done;
    });
    ws.on('message', (data) => {
      meter.receivedBytes += data.length;
      const decoder = decoding.createDecoder(new Uint8Array(data));
      decoding.readVarString(decoder);
      const type = decoding.readVarUint(decoder);
      if (type === 2) {
        authenticated();
      } else if (observe && type === 0 && decoding.readVarUint(decoder) === syncProtocol.messageYjsUpdate) {
        observe(decoding.readVarUint8Array(decoder));
      }
    });
    await new Promise((done, fail) => {
      ws.once('open', done);
      ws.once('error', fail);
    });
    const message = (write) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarString(encoder, docName);
      write(encoder);
      return encoding.toUint8Array(encoder);
    };
    ws.send(message((e) => {
      encoding.writeVarUint(e, 2); // Auth
      encoding.writeVarUint(e, 0); // Token
      encoding.writeVarString(e, 'token');
    }));
    await ready;
    ws.send(message((e) => {
      encoding.writeVarUint(e, 0);
      syncProtocol.writeSyncStep1(e, new Y.Doc());
    }));
    return {
      send(update) {
        const bytes = message((e) => {
          encoding.writeVarUint(e, 0);
          syncProtocol.writeUpdate(e, update);
        });
        meter.sentBytes += bytes.length;
        meter.sentUpdates++;
        ws.send(bytes);
      },
      close: () => ws.terminate(),
    };
  },
};
