/**
 * Fuzz: a bounded fast-check run of random and mutated frames against the server. No crash, and
 * every reply is a documented frame or close code; afterwards the server still serves logins.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SessionServer } from '../../src/server.js';
import { startServer, token } from '../helpers.js';

const documentedFrames = new Set([
  'session:success',
  'session:error',
  'session:token_updated',
  'session:logged_out',
  'event',
  'message:ack',
  'message:nack',
  'pong',
  'session:disconnect',
]);
const documentedCloses = new Set([1000, 1001, 1005, 1006, 1009, 4001, 4400, 4401, 4408, 4409, 4429]);

let server: SessionServer;
let goodToken: string;
beforeAll(async () => {
  // This fuzzes frames, not limits: ~150 new sessions of one user and ~100 bad tokens from one
  // address would otherwise meet the login limits (tested at their defaults in hostile.test.ts).
  ({ server } = await startServer({
    loginTimeoutMs: 300,
    failedLoginBurst: 10_000,
    userLoginBurst: 10_000,
    maxSessionsPerUser: 10_000,
  }));
  goodToken = await token('fuzzer');
});
afterAll(async () => {
  await server.close();
});

/** Send frames on a fresh connection (optionally logged in) and collect what comes back. */
async function exchange(frames: (string | Buffer)[], login: boolean) {
  const ws = new WebSocket(server.url);
  const replies: unknown[] = [];
  let closeCode: number | null = null;
  ws.on('error', () => {});
  ws.on('message', (data) => replies.push(data.toString()));
  const closed = new Promise<void>((r) =>
    ws.once('close', (code) => {
      closeCode = code;
      r();
    }),
  );
  await new Promise<void>((r, j) => {
    ws.once('open', () => r());
    ws.once('error', j);
  });
  if (login) {
    ws.send(JSON.stringify({ type: 'session:login', token: goodToken }));
    await new Promise((r) => ws.once('message', r));
  }
  for (const f of frames) if (ws.readyState === WebSocket.OPEN) ws.send(f);
  await Promise.race([closed, new Promise((r) => setTimeout(r, 60))]);
  if (ws.readyState === WebSocket.OPEN) {
    ws.close();
    await closed;
    closeCode = null; // we closed it: not the server's answer
  }
  return { replies, closeCode };
}

const valid = [
  { type: 'session:login', token: 'x', sessionId: 's', lastSeq: 0 },
  { type: 'session:update_token', rid: 'r1', token: 'x' },
  { type: 'session:logout', rid: 'r1' },
  { type: 'message', mid: 'm1', body: { text: 'hi' } },
  { type: 'ack', seq: 1 },
  { type: 'ping', t: 1 },
];

const anyJson = fc.jsonValue({ maxDepth: 3 });
const mutated = fc
  .tuple(
    fc.constantFrom(...valid),
    fc.constantFrom('type', 'token', 'rid', 'mid', 'seq', 't', 'body', 'sessionId', 'lastSeq', 'extra'),
    anyJson,
    fc.boolean(),
  )
  .map(([frame, key, value, remove]) => {
    const copy: Record<string, unknown> = { ...frame };
    if (remove) delete copy[key];
    else copy[key] = value;
    return JSON.stringify(copy);
  });
const frameArb = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  anyJson.map((v) => JSON.stringify(v)),
  mutated,
  fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
);

describe('reliability: fuzzed frames', () => {
  it('never crash the server and only ever get documented frames and close codes', async () => {
    const seen = new Map<number | null, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(frameArb, { minLength: 1, maxLength: 5 }), fc.boolean(), async (frames, login) => {
        const { replies, closeCode } = await exchange(frames, login);
        seen.set(closeCode, (seen.get(closeCode) ?? 0) + 1);
        for (const raw of replies) {
          const frame = JSON.parse(raw as string) as { type: string; code?: number };
          expect(documentedFrames.has(frame.type)).toBe(true);
          if (frame.type === 'session:error') expect(documentedCloses.has(frame.code as number)).toBe(true);
        }
        if (closeCode !== null) expect(documentedCloses.has(closeCode)).toBe(true);
      }),
      { numRuns: 300, seed: 20261125 },
    );
    console.log(`fuzz: 300 runs; close codes seen ${JSON.stringify([...seen.entries()])}`);
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(health.status).toBe(200);
    const { replies } = await exchange([], true);
    expect(JSON.parse(replies[0] as string)).toMatchObject({ type: 'session:success', userId: 'fuzzer' });
  }, 120_000);
});
