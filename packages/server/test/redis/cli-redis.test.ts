/**
 * `nexmo-session-server --redis URL`: the banner names where sessions live (never a password);
 * a Redis that is not there yet does not stop the server: logins are refused 4503 until it is,
 * and then served without a restart.
 */
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cliBin } from '../../../../test-support/cluster.js';
import type { NodeProcess } from '../../../../test-support/node-process.js';
import { spawnNodeServer } from '../../../../test-support/node-process.js';
import type { RedisServer } from '../../../../test-support/redis-server.js';
import { freePort, startRedis } from '../../../../test-support/redis-server.js';
import { ProtocolClient } from '../abuse/protocol-client.js';
import { secret, token, until } from '../helpers.js';

const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
}, 20_000);

describe('nexmo-session-server --redis', () => {
  it('starts before Redis does, refuses logins 4503 meanwhile, and serves them once Redis is up', async () => {
    const port = await freePort();
    const server: NodeProcess = await spawnNodeServer(cliBin, [
      '--secret',
      secret,
      '--port',
      '0',
      '--redis',
      `redis://127.0.0.1:${port}`,
    ]);
    stops.push(() => server.stop());
    await until(() => server.output().includes('redis not reachable yet'), 5000, 'the warning');
    const url = `ws://127.0.0.1:${server.port}/ws`;
    const refused = await ProtocolClient.login(url, await token('early')).catch((e: Error) => e.message);
    expect(refused).toMatch(/"code":4503/);
    expect(refused).toMatch(/"retryAfterMs":\d+/);

    const redis = await startRedis({ port });
    stops.push(() => redis.stop());
    let served: ProtocolClient | null = null;
    await until(
      async () => {
        served = await ProtocolClient.login(url, await token('early')).catch(() => null);
        return served !== null;
      },
      15_000,
      'a login once Redis is up',
    );
    expect((served as ProtocolClient | null)?.success).toMatchObject({ resumed: false, userId: 'early' });
    (served as ProtocolClient | null)?.terminate();
    expect(server.alive()).toBe(true);
  });

  it('the banner never shows the Redis password', async () => {
    const port = await freePort();
    const server = await spawnNodeServer(cliBin, [
      '--secret',
      secret,
      '--port',
      '0',
      '--redis',
      `redis://:hunter2-not-shown@127.0.0.1:${port}`,
    ]);
    stops.push(() => server.stop());
    await until(() => server.output().includes('redis not reachable yet'), 5000, 'the warning');
    expect(server.output()).toContain(`sessions live in Redis at redis://:***@127.0.0.1:${port}`);
    expect(server.output()).not.toContain('hunter2');
  });

  it('the banner names Redis; /healthz counts the sessions of every process', async () => {
    const redis: RedisServer = await startRedis();
    stops.push(() => redis.stop());
    const servers = await Promise.all(
      [0, 1].map(() => spawnNodeServer(cliBin, ['--secret', secret, '--port', '0', '--redis', redis.url])),
    );
    for (const s of servers) stops.push(() => s.stop());
    for (const s of servers) {
      await until(() => s.output().includes('(--help lists every flag)'), 5000, 'the banner');
      expect(s.output()).toContain(`sessions live in Redis at ${redis.url} (keys nexmo-session:*)`);
    }
    const a = await ProtocolClient.login(`ws://127.0.0.1:${servers[0]?.port}/ws`, await token('h1'));
    const b = await ProtocolClient.login(`ws://127.0.0.1:${servers[1]?.port}/ws`, await token('h2'));
    await b.close();
    await until(
      async () => {
        const health = await (await fetch(`http://127.0.0.1:${servers[0]?.port}/healthz`)).json();
        return health.sessions === 2 && health.waiting === 1 && health.connections === 1;
      },
      10_000,
      'healthz to count both processes',
    );
    a.terminate();
  });

  it('without --redis nothing changes: sessions live in memory and the Redis client is never loaded', async () => {
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { createSessionServer } from ${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)};
         const s = await createSessionServer({ keys: { secret: 'x'.repeat(32) }, logger() {} });
         const { createRequire } = await import('node:module');
         const loaded = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('@redis'));
         console.log(JSON.stringify({ registry: s.registry, loaded }));
         await s.close();`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    await new Promise((r) => child.once('exit', r));
    expect(JSON.parse(out)).toEqual({ registry: 'sessions live in memory: a restart loses them', loaded: false });
  });
});
