/**
 * Issue 15: three server processes share sessions through Redis behind a round-robin TCP proxy.
 * One is killed with SIGKILL mid-traffic: its clients resume on the others with the same
 * sessionId, and every client receives every message exactly once, in the same order. The real
 * CLI (`--redis`, default limits), the real engine at its defaults, a private redis-server.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../../test-support/cluster.js';
import { startCluster } from '../../../../test-support/cluster.js';
import { ProtocolClient } from '../abuse/protocol-client.js';
import { secret, token, until } from '../helpers.js';
import type { ChatClient } from './engine-clients.js';
import { bodyKey, chatClient, contiguousSeqs } from './engine-clients.js';

const USERS = 9;
const MESSAGES = 40;
const KILLED = 1;

let cluster: Cluster | undefined;
const clients: ChatClient[] = [];
afterAll(async () => {
  for (const c of clients) c.session.destroy();
  await cluster?.close();
}, 30_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The value of a RESP integer reply. */
const integer = (reply: string) => Number(/^:(-?\d+)/.exec(reply)?.[1] ?? Number.NaN);

describe('several processes (Redis): a process killed with SIGKILL mid-traffic', () => {
  it('its clients resume on the others with the same sessionId; every message reaches every client once, in order', async () => {
    cluster = await startCluster({ secret, size: 3 });
    const c = cluster;
    const dump = () =>
      c.processes
        .map((p, i) => `--- process ${i} (${p.alive() ? 'alive' : 'dead'})\n${p.output().slice(-3000)}`)
        .join('\n');

    for (let i = 0; i < USERS; i++) {
      const client = chatClient(c.url, i);
      clients.push(client);
      // One at a time, so the proxy's turns put three clients on each process.
      await client.session.login(await token(`user-${i}`));
    }
    expect(c.proxy.routed).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
    const onKilled = clients.filter((cl) => cl.index % 3 === KILLED);
    const firstIds = clients.map((cl) => cl.sessionId());

    // A session nobody resumes: held by the process that dies, it must still get its window.
    const orphan = await ProtocolClient.login(`ws://127.0.0.1:${c.processes[KILLED]?.port}/ws`, await token('orphan'));
    const orphanKey = `nexmo-session:s:${orphan.sessionId}`;

    const sends: Promise<void>[] = [];
    let acked = 0;
    const traffic = Promise.all(
      clients.map(async (cl) => {
        for (let m = 0; m < MESSAGES; m++) {
          sends.push(cl.session.send({ u: cl.index, m }).then(() => void acked++));
          await sleep(25 + ((cl.index * 7) % 20));
        }
      }),
    );
    await until(() => acked >= 60, 20_000, 'traffic to flow');
    await c.processes[KILLED]?.kill();
    const killedAt = Date.now();
    await traffic;

    try {
      await until(() => acked === USERS * MESSAGES, 60_000, 'every message acknowledged');
      await until(
        () => clients.every((cl) => cl.received.length >= USERS * MESSAGES),
        60_000,
        'every message delivered to every client',
      );
    } catch (err) {
      console.error(dump());
      throw err;
    }
    await Promise.all(sends);

    // Same sessions, nothing lost; only the killed process's clients noticed anything.
    expect(clients.map((cl) => cl.sessionId())).toEqual(firstIds);
    expect(clients.flatMap((cl) => cl.errors)).toEqual([]);
    for (const cl of clients) {
      expect(cl.trace).not.toContain('session:lost');
      if (onKilled.includes(cl)) expect(cl.trace).toContain('session:resumed');
      else expect(cl.trace).toEqual([]);
    }
    // Their new sockets went to the living processes (the dead one refused; the proxy moved on).
    expect(c.proxy.routed.slice(USERS).every((b) => b !== KILLED)).toBe(true);

    // Exactly once, in order: contiguous seqs, no body twice, every sender's order kept, and the
    // same global order everywhere (each message is appended to every log in one script).
    const order = clients[0]?.received.map((e) => bodyKey(e.body)) ?? [];
    expect(new Set(order).size).toBe(USERS * MESSAGES);
    for (const cl of clients) {
      expect(contiguousSeqs(cl.received)).toBe(true);
      expect(cl.received.map((e) => bodyKey(e.body))).toEqual(order);
      for (let u = 0; u < USERS; u++) {
        const ms = cl.received.filter((e) => e.body.u === u).map((e) => e.body.m);
        expect(ms).toEqual(Array.from({ length: MESSAGES }, (_, m) => m));
      }
      expect(cl.received.every((e) => e.from === `user-${e.body.u}`)).toBe(true);
    }

    // The orphan's session had no TTL while its process lived; once the dead process's heartbeat
    // is stale, the window starts from its last beat (deadAfterMs 10 s, reaper every 5 s).
    await until(async () => integer(await c.redis.command('PTTL', orphanKey)) > 0, 30_000, 'the orphan reaped');
    const ttl = integer(await c.redis.command('PTTL', orphanKey));
    expect(ttl).toBeLessThanOrEqual(300_000 - (Date.now() - killedAt) + 2000);
    expect(ttl).toBeGreaterThan(300_000 - (Date.now() - killedAt) - 20_000);
    expect(integer(await c.redis.command('ZCARD', 'nexmo-session:procs'))).toBe(2);
    // And it resumes anywhere, with every event it missed, once and in order.
    const had = orphan.lastSeq;
    const back = await ProtocolClient.login(c.url, await token('orphan'), {
      sessionId: orphan.sessionId,
      lastSeq: had,
    });
    expect(back.success).toMatchObject({ resumed: true, lastSeq: USERS * MESSAGES });
    expect(back.success?.firstSeq).toBeLessThanOrEqual(had + 1);
    await until(() => back.lastSeq === USERS * MESSAGES, 10_000, 'the orphan replay');
    expect(back.eventSeqs[0]).toBe(had + 1);
    const seen = [...orphan.bodies(), ...back.bodies()] as { u: number; m: number }[];
    expect(seen.map(bodyKey)).toEqual(order);
    await back.close();
    orphan.terminate();
  }, 180_000);
});
