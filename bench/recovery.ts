/**
 * Recovery latency on loopback, real engine + real server:
 * 1. `online` event → connected, versus waiting for the backoff slot (whenOnline 'ignore').
 * 2. Server back after a restart → all 1,000 clients resumed, with and without jitter, and the
 *    peak login rate the server saw.
 */

import { createSecretKey } from 'node:crypto';
import type { Session, WebSocketConstructor } from '@nexmo-session/core';
import { createSession, manualNetwork, webSocketTransport } from '@nexmo-session/core';
import { createSessionServer, InMemoryRegistry } from '@nexmo-session/server';
import { SignJWT } from 'jose';
import WebSocket from 'ws';

const secret = 'bench-secret-0123456789abcdef';
const key = createSecretKey(Buffer.from(secret));
const mint = (sub: string) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('1h').sign(key);
const WS = WebSocket as unknown as WebSocketConstructor;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, timeoutMs: number) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timeout');
    await new Promise((r) => setImmediate(r));
  }
}
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;

const FLEET = Number(process.argv[2] ?? 1000);
const resumedAt: number[] = [];
const registry = new InMemoryRegistry();
const options = {
  keys: { secret },
  registry,
  loginRate: { burst: 100_000, perSecond: 100_000 },
  logger: (_level: string, message: string) => {
    if (message === 'session resumed') resumedAt.push(performance.now());
  },
};
let server = await createSessionServer(options);
const port = server.port;
const url = server.url;

// 1. online → connected
async function onlineTrial(whenOnline: 'retry' | 'ignore'): Promise<number[]> {
  const network = manualNetwork(true);
  const session = createSession({ transport: webSocketTransport(url, { WebSocket: WS }), network, whenOnline });
  await session.login(await mint(`online-${whenOnline}`));
  const samples: number[] = [];
  for (let i = 0; i < 15; i++) {
    server.faults.pause(150); // the connection drops; nothing accepted for 150 ms
    network.set(false);
    await until(() => session.getState().status === 'reconnecting', 2000);
    await sleep(200); // the server is back; the first slot is 1 s after the loss
    const t = performance.now();
    network.set(true);
    await until(() => session.getState().status === 'connected', 5000);
    samples.push(performance.now() - t);
  }
  session.destroy();
  return samples;
}
const withOnline = await onlineTrial('retry');
const withoutOnline = await onlineTrial('ignore');

// 2. fleet resume after a restart
async function fleet(jitter: number) {
  const sessions: Session[] = [];
  const tokens = await Promise.all(Array.from({ length: FLEET }, (_, i) => mint(`u${i}`)));
  for (let i = 0; i < FLEET; i += 200) {
    const batch = tokens.slice(i, i + 200).map((t) => {
      const s = createSession({
        transport: webSocketTransport(url, { WebSocket: WS, heartbeat: false }),
        reconnect: { jitter },
        network: manualNetwork(true),
      });
      sessions.push(s);
      return s.login(t);
    });
    await Promise.all(batch);
  }
  await server.close();
  await sleep(1500);
  resumedAt.length = 0;
  const back = performance.now();
  server = await createSessionServer({ ...options, port });
  await until(() => sessions.every((s) => s.getState().status === 'connected'), 60_000);
  const allMs = performance.now() - back;
  const buckets = new Map<number, number>();
  for (const t of resumedAt)
    buckets.set(Math.floor((t - back) / 100), (buckets.get(Math.floor((t - back) / 100)) ?? 0) + 1);
  const peakPer100ms = Math.max(...buckets.values());
  const sameSessions = sessions.every((s) => s.getState().lastConnect === 'resumed');
  for (const s of sessions) s.destroy();
  await sleep(200);
  return { allMs, peakPer100ms, resumed: resumedAt.length, sameSessions };
}
const noJitter = await fleet(0);
const halfJitter = await fleet(0.5);
await server.close();

console.log('\nRecovery latency on loopback (real engine, real server)\n');
console.log('browser `online` → connected (15 trials)        p50 ms   p95 ms   max ms');
const row = (name: string, xs: number[]) =>
  console.log(
    `${name.padEnd(48)}${pct(xs, 50).toFixed(1).padEnd(9)}${pct(xs, 95).toFixed(1).padEnd(9)}${Math.max(...xs).toFixed(1)}`,
  );
row("whenOnline 'retry' (default)", withOnline);
row("whenOnline 'ignore' (waits for the 1 s slot)", withoutOnline);
console.log(
  `\nserver back after 1.5 s → all ${FLEET} clients resumed      all back in   peak logins/100 ms   all same session`,
);
const frow = (name: string, r: Awaited<ReturnType<typeof fleet>>) =>
  console.log(
    `${name.padEnd(58)}${`${(r.allMs / 1000).toFixed(2)} s`.padEnd(14)}${String(r.peakPer100ms).padEnd(21)}${r.sameSessions}`,
  );
frow('jitter 0 (attempts at 1, 3, 7 s after the loss)', noJitter);
frow('jitter 0.5', halfJitter);
process.exit(0);
