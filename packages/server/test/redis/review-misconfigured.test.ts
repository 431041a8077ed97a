/**
 * Review (wave 4): a Redis that is up but refuses this server (wrong or missing password) is
 * reported only as "redis not reachable yet", forever, without the reason Redis gave. Every
 * login is refused 4503 and the operator has nothing in the log to tell a typo in --redis from
 * an outage.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cliBin } from '../../../../test-support/cluster.js';
import { spawnNodeServer } from '../../../../test-support/node-process.js';
import { startRedis } from '../../../../test-support/redis-server.js';
import { ProtocolClient } from '../abuse/protocol-client.js';
import { secret, token, until } from '../helpers.js';

const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
}, 20_000);

describe('nexmo-session-server --redis against a Redis that refuses it', () => {
  it('says why (the auth error), not only "not reachable"', async () => {
    const redis = await startRedis();
    stops.push(() => redis.stop());
    await redis.command('CONFIG', 'SET', 'requirepass', 'the-right-one');
    const server = await spawnNodeServer(cliBin, [
      '--secret',
      secret,
      '--port',
      '0',
      '--redis',
      `redis://:a-wrong-one@127.0.0.1:${redis.port}`,
    ]);
    stops.push(() => server.stop());
    await until(() => server.output().includes('redis not reachable yet'), 5000, 'the warning');
    // A client meets the refusal, which is logged too.
    const refused = await ProtocolClient.login(`ws://127.0.0.1:${server.port}/ws`, await token('op')).catch(
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/"code":4503/);
    await new Promise((r) => setTimeout(r, 3000));
    expect(server.output()).toMatch(/WRONGPASS|NOAUTH|auth/i);
    expect(server.alive()).toBe(true);
  });
});
