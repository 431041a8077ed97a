// A Node app that logs in, loses its server, and destroys its session while backing off.
// The test measures how long Node takes to exit after destroy(): it must be at once.
import { createSession, manualNetwork, webSocketTransport } from '@nexmo-session/core';
import WebSocket from 'ws';

const [url, token] = process.argv.slice(2);
const session = createSession({ transport: webSocketTransport(url, { WebSocket }), network: manualNetwork(true) });
session.on('reconnecting', (n) => {
  console.log(`reconnecting ${n}`);
  // Attempt 1 failed; waiting for attempt 2 (2 s away): destroy now.
  setTimeout(() => {
    session.destroy();
    console.log(`destroyed at ${Date.now()}`);
  }, 100);
});
await session.login(token);
console.log('connected');
