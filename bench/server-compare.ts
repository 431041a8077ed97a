/**
 * Server: sessions per GiB and acknowledged messages per second on loopback, ours against a
 * Socket.IO 4 server with connection-state recovery doing the same work (same client count,
 * same restart storm). Each server runs alone in its own process; memory is its heap after GC.
 */
import { createSecretKey } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Socket } from 'socket.io-client';
import { io as ioClient } from 'socket.io-client';
import WebSocket from 'ws';
import { forkServer } from '../test-support/child-server.js';

const CLIENTS = Number(process.argv[2] ?? 2000);
const MESSAGES_PER_CLIENT = 20;
const secret = 'bench-secret-0123456789abcdef';
const key = createSecretKey(Buffer.from(secret));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Mem = { memory: { heapMb: number; rssMb: number } };

async function ours() {
  const server = forkServer('packages/server/test/reliability/load-server.mjs', [secret, 'ack-only']);
  const port = await server.ready;
  const base = (await server.ask<Mem>('stats')).memory;
  const tokens = await Promise.all(
    Array.from({ length: CLIENTS }, (_, i) =>
      new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(`u${i}`).setExpirationTime('1h').sign(key),
    ),
  );
  const sockets: { ws: WebSocket; sessionId: string | null; resumed: boolean }[] = [];
  const connect = (entry: { ws: WebSocket | null; sessionId: string | null; resumed: boolean }, token: string) =>
    new Promise<void>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
      entry.ws = ws;
      ws.on('error', () => {});
      ws.on('open', () =>
        ws.send(
          JSON.stringify({ type: 'session:login', token, ...(entry.sessionId ? { sessionId: entry.sessionId } : {}) }),
        ),
      );
      ws.on('message', (d) => {
        const f = JSON.parse(d.toString());
        if (f.type === 'session:success') {
          entry.resumed = entry.sessionId !== null && f.resumed === true;
          entry.sessionId = f.sessionId;
          resolve();
        }
      });
    });
  for (let i = 0; i < CLIENTS; i += 250) {
    await Promise.all(
      tokens.slice(i, i + 250).map((t) => {
        const e = { ws: null as unknown as WebSocket, sessionId: null, resumed: false };
        sockets.push(e);
        return connect(e, t);
      }),
    );
  }
  const loaded = (await server.ask<Mem>('stats')).memory;
  // messages: each client sends MESSAGES_PER_CLIENT, one at a time, waiting for each ack
  const t0 = performance.now();
  await Promise.all(
    sockets.map(async (s, i) => {
      for (let m = 0; m < MESSAGES_PER_CLIENT; m++) {
        const mid = `${i}-${m}`;
        await new Promise<void>((resolve) => {
          const on = (d: WebSocket.RawData) => {
            const f = JSON.parse(d.toString());
            if (f.type === 'message:ack' && f.mid === mid) {
              s.ws.off('message', on);
              resolve();
            }
          };
          s.ws.on('message', on);
          s.ws.send(JSON.stringify({ type: 'message', mid, body: { m } }));
        });
      }
    }),
  );
  const msgsPerSecond = (CLIENTS * MESSAGES_PER_CLIENT) / ((performance.now() - t0) / 1000);
  // restart storm: restart, everyone resumes with their session id
  for (const s of sockets) s.ws.removeAllListeners('message');
  await server.ask('restart');
  const t1 = performance.now();
  await Promise.all(sockets.map((s, i) => connect(s, tokens[i] as string)));
  const resumeMs = performance.now() - t1;
  const resumed = sockets.filter((s) => s.resumed).length;
  for (const s of sockets) s.ws.close();
  await server.stop();
  return { perSessionKb: ((loaded.heapMb - base.heapMb) * 1024) / CLIENTS, msgsPerSecond, resumed, resumeMs };
}

async function socketIo() {
  const server = forkServer('bench/socketio-server.mjs');
  const port = await server.ready;
  const base = (await server.ask<Mem>('stats')).memory;
  const sockets: Socket[] = [];
  for (let i = 0; i < CLIENTS; i += 250) {
    await Promise.all(
      Array.from({ length: Math.min(250, CLIENTS - i) }, () => {
        const s = ioClient(`http://127.0.0.1:${port}`, {
          transports: ['websocket'],
          reconnectionDelay: 100,
          reconnectionDelayMax: 2000,
        });
        sockets.push(s);
        return new Promise((r) => s.once('connect', () => r(undefined)));
      }),
    );
  }
  await sleep(200);
  const loaded = (await server.ask<Mem>('stats')).memory;
  const t0 = performance.now();
  await Promise.all(
    sockets.map(async (s) => {
      for (let m = 0; m < MESSAGES_PER_CLIENT; m++) await s.timeout(10_000).emitWithAck('msg', { m });
    }),
  );
  const msgsPerSecond = (CLIENTS * MESSAGES_PER_CLIENT) / ((performance.now() - t0) / 1000);
  const reconnected = sockets.map((s) => new Promise<boolean>((r) => s.once('connect', () => r(s.recovered))));
  await server.ask('restart');
  const t1 = performance.now();
  const recovered = (await Promise.all(reconnected)).filter(Boolean).length;
  const resumeMs = performance.now() - t1;
  for (const s of sockets) s.close();
  await server.stop();
  return {
    perSessionKb: ((loaded.heapMb - base.heapMb) * 1024) / CLIENTS,
    msgsPerSecond,
    resumed: recovered,
    resumeMs,
  };
}

const a = await ours();
const b = await socketIo();
console.log(
  `\nServer on loopback: ${CLIENTS} clients, ${MESSAGES_PER_CLIENT} acknowledged messages each, one restart\n`,
);
console.log(
  'server                                                 heap/session  sessions/GiB  acked msgs/s  resumed after restart',
);
const row = (name: string, r: typeof a) =>
  console.log(
    `${name.padEnd(55)}${`${r.perSessionKb.toFixed(2)} kB`.padEnd(14)}${String(Math.round((1024 * 1024) / r.perSessionKb)).padEnd(14)}${String(Math.round(r.msgsPerSecond)).padEnd(14)}${r.resumed}/${CLIENTS} in ${(r.resumeMs / 1000).toFixed(2)} s`,
  );
row('@nexmo-session/server (ws + jose, in-memory registry)', a);
row('Socket.IO 4.8 with connectionStateRecovery', b);
process.exit(0);
