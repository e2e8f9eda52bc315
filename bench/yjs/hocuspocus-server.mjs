// Hocuspocus as its README starts it: documents in memory, no extensions. PORT from the environment.
import { Server } from '@hocuspocus/server';

const server = new Server({ port: Number(process.env.PORT), address: '127.0.0.1', quiet: true });
await server.listen();
console.log(`hocuspocus listening on ${process.env.PORT}`);
