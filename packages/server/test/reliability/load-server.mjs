// The reference server in its own process for the load test: restarts in place (same port, same
// registry, as a deploy with a shared store would) and reports its memory. Driven over IPC.

import { memory } from '../../../../test-support/child-memory.mjs';
import { createSessionServer, InMemoryRegistry } from '../../dist/index.js';

const secret = process.argv[2];
const registry = new InMemoryRegistry();
const options = {
  keys: { secret },
  registry,
  logger: () => {},
  // Default limits: 5,000 users behind 127.0.0.1 log in once each and then only resume, which is
  // never limited. `ack-only` (the server benchmark): acknowledge messages without routing them,
  // like-for-like with Socket.IO, and no message rate limit. The load test keeps the limits: it
  // checks that a flooder is cut off.
  ...(process.argv[3] === 'ack-only'
    ? { onMessage: () => {}, messagesPerSecond: 1_000_000, messageBurst: 1_000_000 }
    : {}),
};
let server = await createSessionServer(options);
const port = server.port;

process.on('message', async (msg) => {
  if (msg.type === 'restart') {
    await server.close();
    server = await createSessionServer({ ...options, port });
    process.send({ type: 'restarted', id: msg.id });
  } else if (msg.type === 'stats') {
    process.send({ type: 'stats', id: msg.id, stats: server.stats(), memory: memory() });
  } else if (msg.type === 'exit') {
    await server.close();
    process.exit(0);
  }
});
process.send({ type: 'ready', port });
