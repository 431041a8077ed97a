/**
 * Issue 15: a session moves between processes. Its socket lands on another process (the proxy
 * sends its next connection elsewhere) and it resumes there with what it missed; a second socket
 * resuming the session on another process while the first is open replaces it (4409).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../../test-support/cluster.js';
import { startCluster } from '../../../../test-support/cluster.js';
import { ProtocolClient } from '../abuse/protocol-client.js';
import { secret, token, until } from '../helpers.js';
import type { ChatClient } from './engine-clients.js';
import { bodyKey, chatClient, contiguousSeqs } from './engine-clients.js';

let cluster: Cluster | undefined;
const clients: ChatClient[] = [];
const raws: ProtocolClient[] = [];
afterAll(async () => {
  for (const c of clients) c.session.destroy();
  for (const r of raws) r.terminate();
  await cluster?.close();
}, 30_000);

async function ensureCluster(): Promise<Cluster> {
  cluster ??= await startCluster({ secret, size: 3 });
  return cluster;
}

describe('several processes (Redis): a session moving between processes', () => {
  it('resumes on another process with the same sessionId and every event once, in order, twice over', async () => {
    const c = await ensureCluster();
    const mover = chatClient(c.url, 0);
    const talker = chatClient(c.url, 1);
    clients.push(mover, talker);
    c.proxy.pinNext(0);
    await mover.session.login(await token('mover'));
    c.proxy.pinNext(1);
    await talker.session.login(await token('talker'));
    const id = mover.sessionId();
    let sent = 0;
    const say = async (n: number) => {
      for (let i = 0; i < n; i++) await talker.session.send({ u: 1, m: sent++ });
    };

    await say(10);
    for (const target of [2, 1]) {
      const from = c.proxy.routed.length;
      c.proxy.pinNext(target);
      // The mover's socket is cut (on process 0, then 2); its next one lands on `target`.
      expect(c.proxy.drop(target === 2 ? 0 : 2)).toBe(1);
      await until(() => mover.session.getState().status !== 'connected', 5000, 'the mover to notice');
      await say(10); // while it is away
      await until(() => mover.session.getState().status === 'connected', 15_000, 'the mover back');
      expect(c.proxy.routed.slice(from)).toEqual([target]);
      await mover.session.send({ u: 0, m: target }); // and it talks from there
      await say(5);
    }
    await until(() => mover.received.length === sent + 2, 10_000, 'every event at the mover');
    await until(() => talker.received.length === sent + 2, 10_000, 'every event at the talker');

    expect(mover.sessionId()).toBe(id);
    expect(mover.trace.filter((t) => t === 'session:resumed')).toHaveLength(2);
    expect(mover.trace).not.toContain('session:lost');
    expect([...mover.errors, ...talker.errors]).toEqual([]);
    expect(contiguousSeqs(mover.received)).toBe(true);
    const order = talker.received.map((e) => bodyKey(e.body));
    expect(mover.received.map((e) => bodyKey(e.body))).toEqual(order);
    expect(order.filter((k) => k.startsWith('1:'))).toEqual(Array.from({ length: sent }, (_, m) => `1:${m}`));
    expect(order.filter((k) => k.startsWith('0:'))).toEqual(['0:2', '0:1']);
  }, 120_000);

  it('a resume on another process while the old socket is open replaces it: session:error then close 4409', async () => {
    const c = await ensureCluster();
    const [p0, p1] = c.processes;
    const first = await ProtocolClient.login(`ws://127.0.0.1:${p0?.port}/ws`, await token('twice'));
    raws.push(first);
    const errors: unknown[] = [];
    first.ws.on('message', (d) => {
      const f = JSON.parse(d.toString());
      if (f.type === 'session:error') errors.push(f);
    });
    const second = await ProtocolClient.login(`ws://127.0.0.1:${p1?.port}/ws`, await token('twice'), {
      sessionId: first.sessionId,
      lastSeq: first.lastSeq,
    });
    raws.push(second);
    expect(second.success).toMatchObject({ resumed: true, sessionId: first.sessionId });
    await until(() => first.closed !== null, 5000, 'the first socket replaced');
    expect(first.closed).toEqual({ code: 4409, reason: 'session resumed elsewhere' });
    expect(errors).toEqual([{ type: 'session:error', code: 4409, message: 'session resumed elsewhere' }]);

    // The session lives on with the second socket only: an event reaches it, not the first.
    const before = first.eventSeqs.length;
    const other = await ProtocolClient.login(c.url, await token('someone'));
    raws.push(other);
    await other.sendInOrder(['{"after":"takeover"}'], ['after-1']);
    await until(() => second.bodies().some((b) => JSON.stringify(b) === '{"after":"takeover"}'), 5000, 'the event');
    expect(first.eventSeqs.length).toBe(before);
    // Another user presenting the id is answered as for an unknown id: a new session, nothing taken over.
    const mallory = await ProtocolClient.login(`ws://127.0.0.1:${p0?.port}/ws`, await token('mallory'), {
      sessionId: first.sessionId,
      lastSeq: 0,
    });
    raws.push(mallory);
    expect(mallory.success).toMatchObject({ resumed: false });
    expect(mallory.sessionId).not.toBe(first.sessionId);
    await new Promise((r) => setTimeout(r, 200));
    expect(second.closed).toBeNull();
  }, 60_000);
});
