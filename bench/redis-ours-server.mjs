// One reference-server process of three sharing sessions through Redis (`redis` option, default
// limits). A message `{ to, m }` is published to user `to` from inside onMessage, so it is taken
// and appended in one script: the same work as the Socket.IO servers' `io.to(to).emit`. Driven
// over IPC (stats, exit); the benchmark kills one with SIGKILL.

import { createSessionServer } from '../packages/server/dist/index.js';
import { memory } from '../test-support/child-memory.mjs';

const [secret, redisUrl] = process.argv.slice(2);
const server = await createSessionServer({
  keys: { secret },
  redis: redisUrl,
  logger: () => {},
  onMessage(_session, body, publish) {
    publish(body.to, body);
  },
});

process.on('message', async (msg) => {
  if (msg.type === 'stats') {
    process.send({ type: 'stats', id: msg.id, stats: server.stats(), memory: memory() });
  } else if (msg.type === 'exit') {
    await server.close();
    process.exit(0);
  }
});
process.send({ type: 'ready', port: server.port });
