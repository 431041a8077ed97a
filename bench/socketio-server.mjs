// Socket.IO 4 doing the same work as the reference server in the server benchmark: connection
// state recovery on, an acknowledged message, restart in place. Driven over IPC.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { memory } from '../test-support/child-memory.mjs';

let http;
let io;
let port = 0;
async function start() {
  http = createServer();
  io = new Server(http, {
    transports: ['websocket'],
    connectionStateRecovery: { maxDisconnectionDuration: 300_000, skipMiddlewares: true },
  });
  io.on('connection', (socket) => {
    socket.on('msg', (_body, ack) => ack?.());
  });
  await new Promise((r) => http.listen(port, '127.0.0.1', r));
  port = http.address().port;
}
await start();
process.on('message', async (msg) => {
  if (msg.type === 'restart') {
    io.close();
    http.closeAllConnections();
    await new Promise((r) => http.close(() => r()));
    await start();
    process.send({ type: 'restarted', id: msg.id });
  } else if (msg.type === 'stats') {
    process.send({ type: 'stats', id: msg.id, stats: { connections: io.engine.clientsCount }, memory: memory() });
  } else if (msg.type === 'exit') {
    io.close();
    process.exit(0);
  }
});
process.send({ type: 'ready', port });
