/**
 * Issue 15: Redis goes away mid-traffic and comes back empty (killed with SIGKILL, restarted
 * without persistence). While it is away, live sockets stay open and answer pings; messages are
 * nacked with retryAfterMs and sent again; logins and resumes get session:error 4503 with
 * retryAfterMs, then close 4503. When it is back, every process puts back the sessions it holds:
 * every client keeps its session, every message is acknowledged and reaches every client once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../../test-support/cluster.js';
import { startCluster } from '../../../../test-support/cluster.js';
import { ProtocolClient } from '../abuse/protocol-client.js';
import { secret, token, until } from '../helpers.js';
import { ResilientClient } from './resilient-client.js';

const USERS = 6;
const MESSAGES = 30;

let cluster: Cluster | undefined;
const clients: ResilientClient[] = [];
afterAll(async () => {
  for (const c of clients) c.close();
  await cluster?.close();
}, 30_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('several processes (Redis): Redis restarted mid-traffic', () => {
  it('refuses logins with 4503 + retryAfterMs while it is away, keeps live sockets, and recovers by itself', async () => {
    cluster = await startCluster({ secret, size: 3 });
    const c = cluster;
    for (let i = 0; i < USERS; i++) clients.push(await ResilientClient.start(c.url, `chatter-${i}`));
    const firstIds = clients.map((cl) => cl.sessionId);

    let acked = 0;
    const traffic = Promise.all(
      clients.map(async (cl, i) => {
        for (let m = 0; m < MESSAGES; m++) {
          await cl.send(`${i}-${m}`, { u: i, m });
          acked++;
          await sleep(30);
        }
      }),
    );
    await until(() => acked >= 30, 20_000, 'traffic to flow');
    await c.redis.kill();

    // While Redis is away: a login and a resume are refused, retryably; a live socket answers pings.
    await sleep(300);
    const refusals = [];
    for (const resume of [undefined, clients[0]?.sessionId]) {
      const raw = new WebSocketLogin(c.url);
      refusals.push(await raw.login(await token(resume ? 'chatter-0' : 'newcomer'), resume));
    }
    for (const r of refusals) {
      expect(r.close).toBe(4503);
      expect(r.frames).toEqual([
        {
          type: 'session:error',
          code: 4503,
          message: 'sessions are unavailable: the shared store (Redis) cannot be reached; try again',
          retryAfterMs: expect.any(Number),
        },
      ]);
      const wait = (r.frames[0] as { retryAfterMs: number }).retryAfterMs;
      expect(wait).toBeGreaterThanOrEqual(1000);
      expect(wait).toBeLessThan(2000);
    }
    const probe = clients[1]?.socket as ProtocolClient;
    const pongs = probe.frames.filter((f) => f.type === 'pong').length;
    probe.send({ type: 'ping', t: 1 });
    await until(() => probe.frames.filter((f) => f.type === 'pong').length > pongs, 3000, 'a pong');
    await sleep(1000);
    await c.redis.restart();
    const restartedAt = Date.now();
    // Redis came back empty: the first process to see it says so, and messages and resumes wait
    // until all three have put their sessions back (well before the 10 s cap).
    await until(
      () => c.processes.some((p) => p.output().includes('redis came back without its data')),
      10_000,
      'the data loss noticed',
    );
    await until(
      async () => (await c.redis.command('EXISTS', 'nexmo-session:recovering')).startsWith(':0'),
      10_000,
      'the recovery to end',
    );
    expect(Date.now() - restartedAt).toBeLessThan(8000);

    try {
      await traffic;
      await until(
        () => clients.every((cl) => cl.events.size >= USERS * MESSAGES),
        30_000,
        'every message at every client',
      );
    } catch (err) {
      for (const [i, p] of c.processes.entries()) console.error(`--- process ${i}\n${p.output().slice(-3000)}`);
      throw err;
    }

    expect(c.processes.every((p) => p.alive())).toBe(true);
    // Messages sent meanwhile were refused with a wait, never taken twice.
    const outageNacks = clients.flatMap((cl) => cl.nacks);
    expect(outageNacks.length).toBeGreaterThan(0);
    for (const n of outageNacks) {
      expect(n).toMatchObject({ type: 'message:nack', code: 'rate_limited', retryAfterMs: expect.any(Number) });
    }
    // Every client kept its session (the processes put them back), and got every message once.
    expect(clients.map((cl) => cl.sessionId)).toEqual(firstIds);
    expect(clients.map((cl) => cl.sessionIds.length)).toEqual(clients.map(() => 1));
    for (const cl of clients) {
      const seqs = [...cl.events.keys()].sort((a, b) => a - b);
      const bodies = seqs.map((s) => cl.events.get(s) as { u: number; m: number });
      const keys = bodies.map((b) => `${b.u}:${b.m}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toHaveLength(USERS * MESSAGES);
      for (let u = 0; u < USERS; u++) {
        expect(bodies.filter((b) => b.u === u).map((b) => b.m)).toEqual(Array.from({ length: MESSAGES }, (_, m) => m));
      }
    }
    // And the service is whole again: a new login works.
    const late = await ProtocolClient.login(c.url, await token('latecomer'));
    expect(late.success).toMatchObject({ resumed: false });
    await late.close();
    expect(c.processes.map((p) => p.output()).join('\n')).toContain('redis is back');
  }, 180_000);
});

/** One raw login, recording every frame until the close. */
class WebSocketLogin {
  constructor(private readonly url: string) {}

  async login(tok: string, sessionId?: string): Promise<{ close: number; frames: Record<string, unknown>[] }> {
    const { default: WebSocket } = await import('ws');
    const ws = new WebSocket(this.url);
    const frames: Record<string, unknown>[] = [];
    ws.on('error', () => {});
    ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'session:login', token: tok, ...(sessionId ? { sessionId, lastSeq: 0 } : {}) }));
    const close = await new Promise<number>((r) => ws.once('close', (code) => r(code)));
    return { close, frames };
  }
}
