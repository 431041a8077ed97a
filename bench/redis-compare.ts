/**
 * Several processes sharing one Redis: three reference-server processes (`redis` option, default
 * limits) against three Socket.IO 4 servers with @socket.io/redis-streams-adapter and connection
 * state recovery, same machine, same run, the same clients behind the same round-robin TCP proxy.
 *
 *   - sessions resumed after one process is killed with SIGKILL (its clients come back after 1 s);
 *   - acknowledged messages per second (each client sends one message at a time to another user,
 *     delivered through Redis to whichever process holds that user's socket);
 *   - memory per session (heap after GC of the three processes; Redis used_memory), and their RSS;
 *   - Redis commands per message (INFO commandstats deltas over the messaging phase; commands
 *     run inside our Lua scripts count one each, the scripts themselves are shown apart).
 *
 * The two sides run in turns, ROUNDS times each, so load from elsewhere on the machine falls on
 * both; the table shows medians (messages per second with its range).
 *
 * Usage: node bench/run.mjs bench/redis-compare.ts [clients=600] [messagesPerClient=20] [rounds=3]
 */
import { createSecretKey } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { SignJWT } from 'jose';
import type { Socket } from 'socket.io-client';
import { io as ioClient } from 'socket.io-client';
import WebSocket from 'ws';
import type { ChildServer } from '../test-support/child-server.js';
import { forkServer } from '../test-support/child-server.js';
import type { RedisServer } from '../test-support/redis-server.js';
import { startRedis } from '../test-support/redis-server.js';
import type { RoundRobinProxy } from '../test-support/round-robin-proxy.js';
import { startRoundRobinProxy } from '../test-support/round-robin-proxy.js';

const CLIENTS = Number(process.argv[2] ?? 600);
const MESSAGES = Number(process.argv[3] ?? 20);
const ROUNDS = Number(process.argv[4] ?? 3);
const PROCESSES = 3;
const KILLED = 1;
const RECONNECT_AFTER_MS = 1000;
const secret = 'bench-secret-0123456789abcdef';
const key = createSecretKey(Buffer.from(secret));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Mem = { memory: { heapMb: number; rssMb: number } };

interface Result {
  name: string;
  loginsPerSecond: number;
  killedClients: number;
  resumed: number;
  allBackMs: number;
  messagesPerSecond: number;
  delivered: number;
  heapKbPerSession: number;
  rssMb: number;
  redisBytesPerSession: number;
  commandsPerMessage: number;
  scriptsPerMessage: number;
  topCommands: string;
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function infoField(info: string, field: string): number {
  return Number(new RegExp(`${field}:(\\d+)`).exec(info)?.[1] ?? Number.NaN);
}

async function commandStats(redis: RedisServer): Promise<Map<string, number>> {
  const info = await redis.command('INFO', 'commandstats');
  const calls = new Map<string, number>();
  for (const m of info.matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)) calls.set(m[1] as string, Number(m[2]));
  return calls;
}

async function usedMemory(redis: RedisServer): Promise<number> {
  return infoField(await redis.command('INFO', 'memory'), 'used_memory');
}

async function memorySum(servers: ChildServer[]): Promise<{ heapMb: number; rssMb: number }> {
  const all = await Promise.all(servers.map((s) => s.ask<Mem>('stats')));
  return all.reduce((a, m) => ({ heapMb: a.heapMb + m.memory.heapMb, rssMb: a.rssMb + m.memory.rssMb }), {
    heapMb: 0,
    rssMb: 0,
  });
}

/** What a side offers the common driver. */
interface Side {
  name: string;
  script: string;
  args(redisUrl: string): string[];
  connect(proxy: RoundRobinProxy, i: number): Promise<Client>;
}

interface Client {
  received: number;
  /** Send one message to user `to` and resolve on its acknowledgement. */
  send(to: number, m: number): Promise<void>;
  /** Set once the client is connected again after a loss: did it get its session back? */
  comeback: { resumed: boolean; at: number } | null;
  lost: boolean;
  close(): void;
}

// --- ours: the protocol over `ws`, as the engine speaks it ------------------------------------
const tokens: string[] = [];
const ours: Side = {
  name: '@nexmo-session/server ×3 (redis)',
  script: 'bench/redis-ours-server.mjs',
  args: (url) => [secret, url],
  async connect(proxy, i) {
    let sessionId: string | null = null;
    let lastSeq = 0;
    let ws: WebSocket;
    const waiting = new Map<string, () => void>();
    const client: Client = {
      received: 0,
      comeback: null,
      lost: false,
      send(to, m) {
        const mid = `${i}-${m}`;
        return new Promise<void>((resolve) => {
          waiting.set(mid, resolve);
          ws.send(JSON.stringify({ type: 'message', mid, body: { to: `u${to}`, m } }));
        });
      },
      close: () => ws.terminate(),
    };
    const open = () =>
      new Promise<void>((resolve) => {
        ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/ws`);
        ws.on('error', () => {});
        let ackQueued = false;
        ws.on('open', () =>
          ws.send(
            JSON.stringify({ type: 'session:login', token: tokens[i], ...(sessionId ? { sessionId, lastSeq } : {}) }),
          ),
        );
        ws.on('message', (d) => {
          const f = JSON.parse(d.toString());
          if (f.type === 'event') {
            if (f.seq <= lastSeq) return;
            lastSeq = f.seq;
            client.received++;
            // One cumulative ack per burst, as the engine does.
            if (!ackQueued) {
              ackQueued = true;
              queueMicrotask(() => {
                ackQueued = false;
                if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'ack', seq: lastSeq }));
              });
            }
          } else if (f.type === 'message:ack') {
            waiting.get(f.mid)?.();
            waiting.delete(f.mid);
          } else if (f.type === 'session:success') {
            if (client.lost) client.comeback = { resumed: f.resumed && f.sessionId === sessionId, at: Date.now() };
            sessionId = f.sessionId;
            resolve();
          }
        });
        ws.on('close', () => {
          if (client.comeback === null && sessionId !== null && !client.lost) {
            client.lost = true;
            setTimeout(() => void open(), RECONNECT_AFTER_MS);
          }
        });
      });
    await open();
    return client;
  },
};

// --- Socket.IO 4 with the Redis streams adapter -------------------------------------------------
const socketio: Side = {
  name: 'Socket.IO 4 ×3 (redis-streams-adapter, recovery)',
  script: 'bench/redis-socketio-server.mjs',
  args: (url) => [url],
  async connect(proxy, i) {
    const socket: Socket = ioClient(`http://127.0.0.1:${proxy.port}`, {
      transports: ['websocket'],
      auth: { user: `u${i}` },
      reconnectionDelay: RECONNECT_AFTER_MS,
      reconnectionDelayMax: RECONNECT_AFTER_MS,
      randomizationFactor: 0,
    });
    const client: Client = {
      received: 0,
      comeback: null,
      lost: false,
      async send(to, m) {
        await socket.emitWithAck('msg', { to: `u${to}`, m });
      },
      close: () => socket.disconnect(),
    };
    socket.on('event', () => {
      client.received++;
    });
    socket.on('disconnect', () => {
      client.lost = true;
    });
    socket.on('connect', () => {
      if (client.lost && client.comeback === null) client.comeback = { resumed: socket.recovered, at: Date.now() };
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    return client;
  },
};

async function measure(side: Side, redis: RedisServer): Promise<Result> {
  await redis.command('FLUSHALL');
  const servers = Array.from({ length: PROCESSES }, () => forkServer(side.script, side.args(redis.url)));
  const ports = await Promise.all(servers.map((s) => s.ready));
  const proxy = await startRoundRobinProxy(() => ports);
  await sleep(500);
  const memBefore = await memorySum(servers);
  const redisBefore = await usedMemory(redis);

  const clients: Client[] = [];
  const t0 = performance.now();
  for (let i = 0; i < CLIENTS; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, CLIENTS - i) }, (_, j) => side.connect(proxy, i + j)),
    );
    clients.push(...batch);
  }
  const loginsPerSecond = CLIENTS / ((performance.now() - t0) / 1000);
  await sleep(1000);
  const memAfter = await memorySum(servers);
  const redisAfter = await usedMemory(redis);

  // Messaging: every client sends MESSAGES to the next user, one at a time, each acknowledged.
  await redis.command('CONFIG', 'RESETSTAT');
  const t1 = performance.now();
  await Promise.all(
    clients.map(async (c, i) => {
      for (let m = 0; m < MESSAGES; m++) await c.send((i + 1) % CLIENTS, m);
    }),
  );
  const messagesPerSecond = (CLIENTS * MESSAGES) / ((performance.now() - t1) / 1000);
  await until(() => clients.every((c) => c.received >= MESSAGES), 30_000, 'every message delivered').catch(() => {});
  const delivered = clients.reduce((n, c) => n + Math.min(c.received, MESSAGES), 0);
  await sleep(300); // the last acks of events reach Redis
  const stats = await commandStats(redis);
  const total = [...stats.values()].reduce((a, b) => a + b, 0);
  const scripts = (stats.get('evalsha') ?? 0) + (stats.get('eval') ?? 0);
  const top = [...stats.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([name, n]) => `${name} ${(n / (CLIENTS * MESSAGES)).toFixed(2)}`)
    .join(', ');

  // One process killed with SIGKILL: its clients come back through the proxy after 1 s.
  await servers[KILLED]?.kill();
  const killedAt = Date.now();
  await until(() => clients.filter((c) => c.lost).length >= CLIENTS / PROCESSES - 1, 10_000, 'the losses').catch(
    () => {},
  );
  const lost = clients.filter((c) => c.lost);
  await until(() => lost.every((c) => c.comeback !== null), 30_000, 'the killed clients back').catch(() => {});
  const back = lost.filter((c) => c.comeback !== null);
  const allBackMs = back.length ? Math.max(...back.map((c) => (c.comeback?.at ?? killedAt) - killedAt)) : Number.NaN;

  for (const c of clients) c.close();
  await proxy.close();
  await Promise.all(servers.filter((_, i) => i !== KILLED).map((s) => s.stop()));
  return {
    name: side.name,
    loginsPerSecond,
    killedClients: lost.length,
    resumed: back.filter((c) => c.comeback?.resumed).length,
    allBackMs,
    messagesPerSecond,
    delivered,
    heapKbPerSession: ((memAfter.heapMb - memBefore.heapMb) * 1024) / CLIENTS,
    rssMb: memAfter.rssMb,
    redisBytesPerSession: (redisAfter - redisBefore) / CLIENTS,
    commandsPerMessage: total / (CLIENTS * MESSAGES),
    scriptsPerMessage: scripts / (CLIENTS * MESSAGES),
    topCommands: top,
  };
}

const redis = await startRedis();
try {
  const version = /redis_version:([\d.]+)/.exec(await redis.command('INFO', 'server'))?.[1];
  tokens.push(
    ...(await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(`u${i}`).setExpirationTime('1h').sign(key),
      ),
    )),
  );
  const runs: Result[][] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, side] of [ours, socketio].entries()) {
      const r = await measure(side, redis);
      runs[i]?.push(r);
      console.log(
        `round ${round + 1}: ${r.name}: ${r.messagesPerSecond.toFixed(0)} msgs/s, resumed ${r.resumed}/${r.killedClients}`,
      );
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const summary = runs.map((rs) => ({
    name: (rs[0] as Result).name,
    resumed: rs.reduce((n, r) => n + r.resumed, 0),
    killedClients: rs.reduce((n, r) => n + r.killedClients, 0),
    allBackMs: median(rs.map((r) => r.allBackMs)),
    messagesPerSecond: median(rs.map((r) => r.messagesPerSecond)),
    messagesRange: `${Math.min(...rs.map((r) => r.messagesPerSecond)).toFixed(0)}–${Math.max(...rs.map((r) => r.messagesPerSecond)).toFixed(0)}`,
    delivered: rs.reduce((n, r) => n + r.delivered, 0),
    loginsPerSecond: median(rs.map((r) => r.loginsPerSecond)),
    heapKbPerSession: median(rs.map((r) => r.heapKbPerSession)),
    rssMb: median(rs.map((r) => r.rssMb)),
    redisBytesPerSession: median(rs.map((r) => r.redisBytesPerSession)),
    commandsPerMessage: median(rs.map((r) => r.commandsPerMessage)),
    scriptsPerMessage: median(rs.map((r) => r.scriptsPerMessage)),
    topCommands: (rs[0] as Result).topCommands,
  }));
  type Summary = (typeof summary)[number];
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Redis ${version}`;
  console.log(
    `\nSeveral processes sharing Redis: ${PROCESSES} processes, ${CLIENTS} clients behind a round-robin TCP proxy, ` +
      `${MESSAGES} messages each, ${ROUNDS} rounds per side in turns (${new Date().toISOString().slice(0, 10)}; ${machine})\n`,
  );
  const rows: [string, (r: Summary) => string][] = [
    ['sessions resumed after SIGKILL of one process', (r) => `${r.resumed} of ${r.killedClients}`],
    ['  all of them reconnected within (median)', (r) => `${(r.allBackMs / 1000).toFixed(1)} s`],
    ['acknowledged messages per second (median)', (r) => `${r.messagesPerSecond.toFixed(0)} (${r.messagesRange})`],
    ['  delivered to their recipient', (r) => `${r.delivered} of ${ROUNDS * CLIENTS * MESSAGES}`],
    ['logins per second', (r) => r.loginsPerSecond.toFixed(0)],
    ['heap per session (3 processes, after GC)', (r) => `${r.heapKbPerSession.toFixed(1)} kB`],
    ['RSS of the 3 processes with every session', (r) => `${r.rssMb.toFixed(0)} MB`],
    ['Redis memory per session', (r) => `${(r.redisBytesPerSession / 1024).toFixed(2)} kB`],
    ['Redis commands per message', (r) => r.commandsPerMessage.toFixed(2)],
    ['  of which scripts (EVALSHA)', (r) => r.scriptsPerMessage.toFixed(2)],
  ];
  const w = Math.max(...rows.map(([l]) => l.length)) + 2;
  console.log(`${''.padEnd(w)}${summary.map((r) => r.name.padEnd(52)).join('')}`);
  for (const [label, f] of rows) console.log(`${label.padEnd(w)}${summary.map((r) => f(r).padEnd(52)).join('')}`);
  for (const r of summary) console.log(`\n${r.name}: top commands per message: ${r.topCommands}`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/redis.json',
    `${JSON.stringify({ date: new Date().toISOString(), machine, clients: CLIENTS, messages: MESSAGES, rounds: ROUNDS, summary, runs }, null, 2)}\n`,
  );
} finally {
  await redis.stop();
}
