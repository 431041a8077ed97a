/**
 * Review (wave 4): a Redis that stops answering without closing its connections (a stalled
 * process, a failover that black-holes packets, a long script) is never treated as unavailable.
 * `commandTimeoutMs` (default 3000, registry/redis/options.ts: "a command unanswered this long
 * counts as Redis being unavailable") is handed to node-redis as `commandOptions.timeout`, and
 * node-redis 6 only times a command out until it is *written* to the socket, never while it waits
 * for the reply (node_modules/@redis/client/dist/lib/client/commands-queue.js, commandsToWrite()
 * removes the timeout listener). So while Redis is stalled:
 * - a login gets, at 5 s, `session:error 4408 "login must be the first frame"` (which it was),
 *   instead of 4503 with retryAfterMs after commandTimeoutMs, and its socket stays open;
 * - a message on a live socket gets neither an ack nor a nack.
 * A SIGSTOPped redis-server stands for the stall; it is continued before the test ends.
 */
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cliBin } from '../../../../test-support/cluster.js';
import { spawnNodeServer } from '../../../../test-support/node-process.js';
import type { RedisServer } from '../../../../test-support/redis-server.js';
import { startRedis } from '../../../../test-support/redis-server.js';
import { ProtocolClient } from '../abuse/protocol-client.js';
import { secret, token, until } from '../helpers.js';

const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
}, 20_000);

type Frame = { type: string; code?: number; retryAfterMs?: number; mid?: string };

describe('--redis when Redis stalls (connections open, no replies)', () => {
  it('a login is refused 4503 within commandTimeoutMs, and a message is nacked, not left hanging', async () => {
    const redis: RedisServer = await startRedis();
    stops.push(() => redis.stop());
    const server = await spawnNodeServer(cliBin, ['--secret', secret, '--port', '0', '--redis', redis.url]);
    stops.push(() => server.stop());
    const url = `ws://127.0.0.1:${server.port}/ws`;
    const live = await ProtocolClient.login(url, await token('stall-a'));

    process.kill(redis.pid, 'SIGSTOP');
    stops.push(async () => process.kill(redis.pid, 'SIGCONT'));
    try {
      const started = Date.now();
      live.send({ type: 'message', mid: 'm-during-stall', body: { n: 1 } });
      const ws = new WebSocket(url);
      ws.on('error', () => {});
      const frames: Frame[] = [];
      let closedAt: number | null = null;
      ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as Frame));
      ws.on('close', () => {
        closedAt = Date.now();
      });
      await new Promise((r) => ws.once('open', r));
      ws.send(JSON.stringify({ type: 'session:login', token: await token('stall-b') }));
      // commandTimeoutMs (3000) plus a generous margin, still before the 5000 ms login timeout.
      await until(() => frames.length > 0 || closedAt !== null, 8000, 'an answer to the login').catch(() => {});
      const answeredAfter = Date.now() - started;
      const answer = frames[0];
      ws.terminate();

      expect.soft(answer?.type).toBe('session:error');
      expect.soft(answer?.code).toBe(4503);
      expect.soft(answer?.retryAfterMs).toBeGreaterThan(0);
      expect.soft(answeredAfter).toBeLessThan(4900);
      const outcome = [...live.acked, ...live.nacks.map((n) => n.mid)];
      expect.soft(outcome).toContain('m-during-stall');
    } finally {
      process.kill(redis.pid, 'SIGCONT');
    }
    expect(server.alive()).toBe(true);
  }, 30_000);
});
