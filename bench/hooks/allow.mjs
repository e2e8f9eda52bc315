// The hooks benchmark's backend: a publish hook on loopback that allows every call at once, so that what the
// benchmark measures is Switchboard's side of a hook call (docs/PROTOCOL.md, Backend hooks).
// usage: node bench/hooks/allow.mjs PORT
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 9000);
createServer((request, response) => {
  if (request.url === '/health') {
    response.end('ok');
    return;
  }
  request.resume();
  request.on('end', () => {
    response.setHeader('Content-Type', 'application/json');
    response.end('{"allow":true}');
  });
}).listen(port, '127.0.0.1');
