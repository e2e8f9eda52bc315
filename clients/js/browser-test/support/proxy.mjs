// A TCP proxy in front of the node, standing in for the network between browser and server: it can refuse
// WebSocket upgrades (a corporate proxy), refuse SSE streams or every connection (the network gone), and cut every
// connection at once.
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
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => {
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
    upstream.on('data', (chunk) => client.write(chunk));
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
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
    close() {
      this.dropAll();
      return new Promise((done) => server.close(() => done()));
    },
  };
}
