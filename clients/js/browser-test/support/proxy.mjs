// A TCP proxy in front of the node, standing in for the network between browser and server: it can refuse
// WebSocket upgrades (a corporate proxy), refuse SSE streams or every connection (the network gone), cut every
// connection at once, or silently stop carrying the open ones (a tunnel, a NAT that forgot them) while new ones pass.
import { connect, createServer } from 'node:net';

export async function startProxy(targetPort) {
  const rules = { blockWebSocket: false, blockSse: false, refuseAll: false };
  const pairs = new Set();
  const counts = { websocketRefused: 0, sseRefused: 0 };
  const server = createServer((client) => {
    if (rules.refuseAll) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    const pair = { client, upstream, muted: false };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => {
      if (pair.muted) {
        return;
      }
      // Requests are small and local: a request's headers arrive in one chunk, so a look at each chunk suffices.
      const head = chunk.toString('latin1');
      if (rules.blockWebSocket && /\r\nupgrade:\s*websocket/i.test(head)) {
        counts.websocketRefused++;
        end();
      } else if (rules.blockSse && /^GET [^ ]*\/events[? ]/.test(head) && /\r\naccept:[^\r\n]*text\/event-stream/i.test(head)) {
        counts.sseRefused++;
        end();
      } else {
        upstream.write(chunk);
      }
    });
    upstream.on('data', (chunk) => pair.muted || client.write(chunk));
    for (const socket of [client, upstream]) {
      // A muted connection's end is not passed on either: the other side goes on hearing nothing.
      const ended = () => (pair.muted ? socket.destroy() : end());
      socket.on('error', ended);
      socket.on('close', ended);
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: server.address().port,
    rules,
    counts,
    /** Cuts every open connection, as a network failure would. */
    dropAll() {
      for (const { client, upstream } of [...pairs]) {
        client.destroy();
        upstream.destroy();
      }
    },
    /** Stops carrying every open connection's bytes either way, without closing any: both ends hear nothing. */
    muteAll() {
      for (const pair of pairs) {
        pair.muted = true;
      }
    },
    close() {
      this.dropAll();
      return new Promise((done) => server.close(() => done()));
    },
  };
}
