// The Socket.IO 4 server the benchmarks put beside Switchboard: what a team starting out would write.
// Clients join rooms; a publish is relayed to the room with io.to(room).emit, untouched, so the sender's
// timestamp in the payload reaches every subscriber exactly as it does through Switchboard.
//
//   client -> server  42["join","room"]            (with an ack id: 421["join","room"], answered 431[])
//   client -> server  42["publish","room",{...}]
//   server -> client  42["event",{...}]            (to every socket in the room, the publisher's included if joined)
//
// GET /stats answers {rss, heapUsed, heapTotal, external, arrayBuffers, connections} after a full GC when
// ?gc=1 and node runs with --expose-gc, so the idle scenario reads heap the same way it does from a JVM.
'use strict';

const http = require('node:http');
const { Server } = require('socket.io');

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '127.0.0.1';
const pingInterval = Number(process.env.PING_INTERVAL_MS || 25000);

const httpServer = http.createServer((req, res) => {
  if (req.url.startsWith('/stats')) {
    if (req.url.includes('gc=1') && global.gc) {
      global.gc();
    }
    const m = process.memoryUsage();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external,
      arrayBuffers: m.arrayBuffers, connections: io.engine.clientsCount,
    }));
    return;
  }
  if (req.url === '/health') {
    res.writeHead(200).end('ok');
    return;
  }
  res.writeHead(404).end();
});

// Defaults otherwise (no per-message compression, in-memory adapter); WebSocket only, as the generator speaks it.
const io = new Server(httpServer, {
  transports: ['websocket'],
  pingInterval,
  pingTimeout: 20000,
  serveClient: false,
});

io.on('connection', (socket) => {
  socket.on('join', (room, ack) => {
    socket.join(room);
    if (typeof ack === 'function') {
      ack();
    }
  });
  socket.on('publish', (room, payload) => {
    io.to(room).emit('event', payload);
  });
});

httpServer.listen(port, host, () => {
  console.log(`socket.io peer listening on ${host}:${port} (pid ${process.pid})`);
});

process.on('SIGTERM', () => process.exit(0));
