/**
 * The Redis backend in process: two servers on one private Redis, raw protocol clients. What one
 * process stores, the other sees: caps and firstSeq, message ids, user limits, flood blocks,
 * publish targets, logout, the window; and what a client gets while Redis is away.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../../../test-support/redis-server.js';
import { startRedis } from '../../../../test-support/redis-server.js';
import { InMemoryReplayLog } from '../../src/replay-log.js';
import type { SessionServer } from '../../src/server.js';
import { contiguous, ProtocolClient } from '../abuse/protocol-client.js';
import { startServer, token, until } from '../helpers.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Two processes' worth of servers on the same Redis, under a prefix of their own. */
async function pair(options: Parameters<typeof startServer>[0] = {}) {
  const prefix = `t${Math.random().toString(36).slice(2, 8)}:`;
  const started = await Promise.all(
    [0, 1].map(() => startServer({ redis: { url: redis.url, keyPrefix: prefix }, ...options })),
  );
  for (const s of started) cleanups.push(() => s.server.close());
  const [a, b] = started.map((s) => s.server) as [SessionServer, SessionServer];
  return { a, b, prefix, logs: started.flatMap((s) => s.logs) };
}

async function login(url: string, sub: string, options: Parameters<typeof ProtocolClient.login>[2] = {}) {
  const c = await ProtocolClient.login(url, await token(sub), options);
  cleanups.push(() => c.terminate());
  return c;
}

const integer = (reply: string) => Number(/^:(-?\d+)/.exec(reply)?.[1] ?? Number.NaN);

describe('Redis backend: one store for every process', () => {
  it('the count cap (10,000) holds across processes: published on one, resumed on the other with firstSeq 51', async () => {
    const { a, b } = await pair();
    const away = await login(a.url, 'away');
    await away.close();
    // In turns of 500: node-redis counts a command's timeout from when it is queued, so 10,050
    // publishes queued at once can time out on a loaded machine before Redis sees them.
    const published: number[] = [];
    for (let from = 0; from < 10_050; from += 500) {
      const turn = Array.from({ length: Math.min(500, 10_050 - from) }, (_, i) =>
        a.publish(away.sessionId, from + i + 1),
      );
      published.push(...(await Promise.all(turn)));
    }
    expect(published).toHaveLength(10_050);
    expect(published.every((n) => n === 1)).toBe(true);
    const back = await login(b.url, 'away', { sessionId: away.sessionId, lastSeq: 0, keepEvents: false });
    expect(back.success).toMatchObject({ resumed: true, lastSeq: 10_050, firstSeq: 51 });
    await until(() => back.lastSeq === 10_050, 20_000, 'the replay');
    expect(back.eventSeqs).toHaveLength(10_000);
    expect(back.eventSeqs[0]).toBe(51);
    expect(contiguous(back.eventSeqs)).toBe(true);
  }, 60_000);

  it('the byte cap (1 MiB, body + 64 per event) drops exactly what the in-memory log drops; firstSeq is exact', async () => {
    const { a, b } = await pair();
    const away = await login(a.url, 'bytes');
    await away.close();
    const reference = new InMemoryReplayLog({ maxBytes: 1024 * 1024, maxEvents: 10_000 });
    for (let i = 0; i < 40; i++) {
      const body = 'x'.repeat(5000 * (i + 1)) + i;
      await a.publish(away.sessionId, body);
      const json = JSON.stringify(body);
      reference.append(null, json, Buffer.byteLength(json));
    }
    const back = await login(b.url, 'bytes', { sessionId: away.sessionId, lastSeq: 0 });
    expect(back.success).toMatchObject({ resumed: true, lastSeq: 40, firstSeq: reference.firstSeq });
    expect(reference.firstSeq).toBeGreaterThan(1);
    await until(() => back.lastSeq === 40, 5000, 'the replay');
    expect(back.eventSeqs[0]).toBe(reference.firstSeq);
    expect(contiguous(back.eventSeqs)).toBe(true);
    expect(back.bodies()[0]).toBe(`${'x'.repeat(5000 * reference.firstSeq)}${reference.firstSeq - 1}`);
  }, 30_000);

  it('what a client acknowledges leaves its log in Redis: in batches while live, and when its socket ends', async () => {
    const { a, prefix } = await pair();
    const c = await login(a.url, 'acker');
    const log = `${prefix}s:${c.sessionId}:log`;
    for (let i = 0; i < 100; i++) await a.publish('acker', i);
    await until(() => c.lastSeq === 100, 5000, 'the events');
    // 100 acknowledged: written by the next heartbeat at the latest.
    await until(async () => integer(await redis.command('XLEN', log)) === 0, 5000, 'the log trimmed');
    for (let i = 0; i < 5; i++) await a.publish('acker', i);
    await until(() => c.lastSeq === 105, 5000, 'five more');
    await c.close();
    await until(async () => integer(await redis.command('PTTL', log)) > 0, 5000, 'the session waiting');
    expect(integer(await redis.command('XLEN', log))).toBe(0);
    const back = await login(a.url, 'acker', { sessionId: c.sessionId, lastSeq: 105 });
    expect(back.success).toMatchObject({ resumed: true, lastSeq: 105, firstSeq: 106 });
  });

  it('a message id taken on one process is acknowledged, not repeated, when it is sent again on the other', async () => {
    const { a, b } = await pair();
    const watcher = await login(b.url, 'watcher');
    const sender = await login(a.url, 'sender');
    await sender.sendInOrder(['{"n":1}'], ['m-1']);
    await until(() => watcher.lastSeq === 1, 3000, 'the event');
    sender.terminate();
    const again = await login(b.url, 'sender', { sessionId: sender.sessionId, lastSeq: sender.lastSeq });
    await again.sendInOrder(['{"n":1}', '{"n":2}'], ['m-1', 'm-2']);
    expect(again.acked).toEqual(['m-1', 'm-2']);
    await until(() => watcher.lastSeq === 2, 3000, 'the second event');
    await new Promise((r) => setTimeout(r, 100));
    expect(watcher.bodies()).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('publish reaches a user or a session wherever its socket is, and says how many; bad bodies throw at once', async () => {
    const { a, b } = await pair();
    const [p1, p2] = [await login(a.url, 'pat'), await login(b.url, 'pat')];
    const quinn = await login(a.url, 'quinn');
    expect(await b.publish('pat', { to: 'pat' })).toBe(2);
    expect(await a.publish(quinn.sessionId, { to: 'quinn' })).toBe(1);
    expect(await a.publish('nobody', { ok: true })).toBe(0);
    await until(() => p1.lastSeq === 1 && p2.lastSeq === 1 && quinn.lastSeq === 1, 3000, 'the events');
    expect([p1.bodies(), p2.bodies(), quinn.bodies()]).toEqual([[{ to: 'pat' }], [{ to: 'pat' }], [{ to: 'quinn' }]]);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => a.publish('pat', circular)).toThrow(/not JSON-serializable/);
    expect(() => a.publish('pat', 'x'.repeat(2 * 1024 * 1024))).toThrow(RangeError);
  });

  it('onMessage publishes ride with the message: a resend is acknowledged without publishing again', async () => {
    const counts: unknown[] = [];
    const { a, b } = await pair({
      onMessage(session, body, publish) {
        const result = publish('ops', { relayed: body, by: session.userId });
        (result as Promise<number>).then((n) => counts.push(n));
      },
    });
    const ops = await login(b.url, 'ops');
    const user = await login(a.url, 'user');
    await user.sendInOrder(['"hello"'], ['h-1']);
    await until(() => ops.lastSeq === 1, 3000, 'the relayed event');
    user.terminate();
    const back = await login(b.url, 'user', { sessionId: user.sessionId, lastSeq: 0 });
    await back.sendInOrder(['"hello"'], ['h-1']);
    await until(() => counts.length === 2, 3000, 'both publish promises');
    expect(counts).toEqual([1, 0]);
    expect(ops.bodies()).toEqual([{ relayed: 'hello', by: 'user' }]);
  });

  it('sessions per user are counted across processes: the 21st ends the oldest, live elsewhere, with 4409', async () => {
    const { a, b, prefix } = await pair();
    const mine: ProtocolClient[] = [];
    for (let i = 0; i < 20; i++) mine.push(await login(i % 2 === 0 ? a.url : b.url, 'many'));
    // Each process allows 10 new sessions per user at once, then 1/s (resumes are free).
    await new Promise((r) => setTimeout(r, 1100));
    const newest = await login(b.url, 'many');
    await until(() => mine[0]?.closed !== null, 3000, 'the oldest ended');
    expect(mine[0]?.closed).toEqual({ code: 4409, reason: 'replaced by a newer session of the same user' });
    expect(mine.slice(1).every((c) => c.closed === null)).toBe(true);
    expect(newest.closed).toBeNull();
    expect(integer(await redis.command('EXISTS', `${prefix}s:${mine[0]?.sessionId}`))).toBe(0);
    expect(integer(await redis.command('ZCARD', `${prefix}u:many`))).toBe(20);
  }, 30_000);

  it('a flood on one process blocks resuming that session on the other until retryAfterMs', async () => {
    const { a, b } = await pair();
    const flooder = await login(a.url, 'flooder');
    for (let i = 0; i < 10_000; i++) flooder.send({ type: 'ping', t: i });
    await until(() => flooder.closed !== null, 5000, 'the flood cut');
    expect(flooder.closed?.code).toBe(4429);
    const refused = await login(b.url, 'flooder', { sessionId: flooder.sessionId, lastSeq: 0 }).catch(
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/"code":4429/);
    expect(refused).toMatch(/"retryAfterMs":\d+/);
  });

  it('a flooder hears the close only once its block is in Redis, however slow Redis is to take it', async () => {
    // Without this order a client could resume on another process in the moment between the
    // close and the block's write, and flood again at once (seen once under load).
    const { a, prefix } = await pair();
    const flooder = await login(a.url, 'slow-block');
    await redis.command('CLIENT', 'PAUSE', '400', 'WRITE'); // scripts that write wait 400 ms
    for (let i = 0; i < 10_000; i++) flooder.send({ type: 'ping', t: i });
    await until(() => flooder.closed !== null, 5000, 'the flood cut');
    const blockedUntil = Number(
      /^\$\d+\r\n(\d+)/.exec(await redis.command('HGET', `${prefix}s:${flooder.sessionId}`, 'b'))?.[1],
    );
    expect(flooder.closed?.code).toBe(4429);
    expect(blockedUntil).toBeGreaterThan(Date.now());
  });

  it('logout on one process deletes the session for all: a resume on the other is a new session', async () => {
    const { a, b, prefix } = await pair();
    const c = await login(a.url, 'leaver');
    c.send({ type: 'session:logout', rid: 'r1' });
    await until(() => c.closed !== null, 3000, 'logged out');
    expect(c.frames.map((f) => f.type)).toContain('session:logged_out');
    expect(integer(await redis.command('EXISTS', `${prefix}s:${c.sessionId}`))).toBe(0);
    const back = await login(b.url, 'leaver', { sessionId: c.sessionId, lastSeq: 0 });
    expect(back.success).toMatchObject({ resumed: false });
  });

  it('the window holds across processes: a lost socket expires with its keys (TTL), at the default 300 s and at 1 s', async () => {
    const { a, prefix } = await pair();
    const c = await login(a.url, 'ttl');
    expect(integer(await redis.command('PTTL', `${prefix}s:${c.sessionId}`))).toBe(-1); // live: no TTL
    await c.close();
    await until(async () => integer(await redis.command('PTTL', `${prefix}s:${c.sessionId}`)) > 0, 3000, 'a TTL');
    const ttl = integer(await redis.command('PTTL', `${prefix}s:${c.sessionId}`));
    expect(ttl).toBeGreaterThan(295_000);
    expect(ttl).toBeLessThanOrEqual(300_000);
    for (const key of ['log', 'mids']) {
      const t = integer(await redis.command('PTTL', `${prefix}s:${c.sessionId}:${key}`));
      expect(t === -2 || (t > 295_000 && t <= 300_000)).toBe(true);
    }

    const short = await pair({ resumeWindowMs: 1000 });
    const brief = await login(short.a.url, 'brief');
    await brief.close();
    await new Promise((r) => setTimeout(r, 1300));
    const late = await login(short.b.url, 'brief', { sessionId: brief.sessionId, lastSeq: 0 });
    expect(late.success).toMatchObject({ resumed: false });
    expect(integer(await redis.command('EXISTS', `${short.prefix}s:${brief.sessionId}`))).toBe(0);
  }, 30_000);
});

describe('Redis backend: while Redis is away', () => {
  it('nacks messages with retryAfterMs in order, answers pings, refuses logins 4503; a restarted Redis gets the session back', async () => {
    const { a, b } = await pair();
    const live = await login(a.url, 'steady');
    const other = await login(b.url, 'other');
    await live.sendInOrder(['1'], ['s-1']);
    await redis.kill();
    // Two messages back to back: both refused, the second because the first must come back first.
    live.send({ type: 'message', mid: 's-2', body: 2 });
    live.send({ type: 'message', mid: 's-3', body: 3 });
    live.send({ type: 'ping', t: 7 });
    await until(() => live.nacks.length === 2 && live.frames.some((f) => f.type === 'pong'), 5000, 'nacks and a pong');
    expect(live.nacks.map((n) => [n.mid, n.code])).toEqual([
      ['s-2', 'rate_limited'],
      ['s-3', 'rate_limited'],
    ]);
    expect(live.nacks[0]?.retryAfterMs).toBeGreaterThanOrEqual(1000);
    await expect(a.publish('steady', 1)).rejects.toThrow(/Redis/);
    const refused = await login(b.url, 'newcomer').catch((e: Error) => e.message);
    expect(refused).toMatch(/"code":4503/);
    expect(live.closed).toBeNull();
    expect(other.closed).toBeNull();

    await redis.restart();
    // Sent again in order once the wait is over; taken, and delivered to both, once.
    await live.sendInOrder(['2', '3'], ['s-2', 's-3'], 30_000);
    await until(() => other.bodies().length === 3, 10_000, 'the events at the other process');
    expect(other.bodies()).toEqual([1, 2, 3]);
    expect(other.eventSeqs).toEqual([1, 2, 3]);
    expect(live.closed).toBeNull();
    expect(other.closed).toBeNull();
  }, 60_000);
});
