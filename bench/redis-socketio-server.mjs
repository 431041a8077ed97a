// One Socket.IO 4 server of three sharing a Redis through @socket.io/redis-streams-adapter, with
// connection state recovery on (300 s, as our resume window). Each client joins its user's room;
// a message `{ to, m }` is emitted to room `to` through the adapter (a Redis stream every server
// reads), then acknowledged: the same work as our processes' onMessage publish. Driven over IPC.
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { memory } from '../test-support/child-memory.mjs';

const redisUrl = process.argv[2];
const redis = createClient({ url: redisUrl });
redis.on('error', () => {});
await redis.connect();

const http = createServer();
const io = new Server(http, {
  transports: ['websocket'],
  adapter: createAdapter(redis),
  connectionStateRecovery: { maxDisconnectionDuration: 300_000, skipMiddlewares: true },
});
io.on('connection', (socket) => {
  const user = socket.handshake.auth?.user;
  if (!socket.recovered) socket.join(user);
  socket.emit('hello', { recovered: socket.recovered, id: socket.id });
  socket.on('msg', (body, ack) => {
    io.to(body.to).emit('event', body);
    ack?.();
  });
});
await new Promise((r) => http.listen(0, '127.0.0.1', r));
const { port } = http.address();

process.on('message', (msg) => {
  if (msg.type === 'stats') {
    process.send({ type: 'stats', id: msg.id, stats: { connections: io.engine.clientsCount }, memory: memory() });
  } else if (msg.type === 'exit') {
    io.close();
    process.exit(0);
  }
});
process.send({ type: 'ready', port });
