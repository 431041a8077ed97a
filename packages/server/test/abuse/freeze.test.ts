/**
 * Issue 12, case 6: the dev "freeze" dropped frames instead of stalling them, so the playground
 * showed a message lost on a live socket, which TCP never does. A freeze now stops reading and
 * writing the sockets: the client's frames wait in TCP, the server's are held in order, and both
 * flow when it ends.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, token, until } from '../helpers.js';
import { contiguous, ProtocolClient } from './protocol-client.js';
import type { ServerProcess } from './server-process.js';
import { startServerProcess } from './server-process.js';

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
}, 20_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('abuse: /dev/freeze stalls the network, it does not lose anything', () => {
  it('(server process, --dev) messages and pings sent during a freeze are answered after it, in order, none lost', async () => {
    const server: ServerProcess = await startServerProcess(['--dev']);
    cleanups.push(() => server.stop());
    const alice = await ProtocolClient.login(server.url, await token('alice'));
    const bob = await ProtocolClient.login(server.url, await token('bob'));
    await alice.sendInOrder(['"before"'], ['m1']);

    const res = await fetch(`${server.httpUrl}/dev/freeze?ms=1500`, { method: 'POST' });
    expect(await res.json()).toEqual({ frozenMs: 1500 });
    const frozenAt = Date.now();
    for (const [mid, body] of [
      ['m2', 'during-1'],
      ['m3', 'during-2'],
    ]) {
      alice.send({ type: 'message', mid, body });
    }
    alice.send({ type: 'ping', t: 42 });
    bob.send({ type: 'message', mid: 'b1', body: 'bob-during' });

    await sleep(800);
    // Nothing moved while frozen: no ack, no pong, no event; and nobody was disconnected.
    expect(alice.acked).toEqual(['m1']);
    expect(alice.frames.some((f) => f.type === 'pong')).toBe(false);
    expect(bob.acked).toEqual([]);
    expect(alice.closed).toBeNull();

    await until(() => alice.acked.length === 3 && bob.acked.length === 1, 5000, 'the answers after the freeze');
    expect(Date.now() - frozenAt).toBeGreaterThanOrEqual(1400);
    expect(alice.acked).toEqual(['m1', 'm2', 'm3']);
    expect(alice.frames.find((f) => f.type === 'pong')).toEqual({ type: 'pong', t: 42 });
    await until(() => bob.eventSeqs.length === 4 && alice.eventSeqs.length === 4, 3000, 'the events');
    for (const c of [alice, bob]) {
      expect(contiguous(c.eventSeqs)).toBe(true);
      const bodies = c.bodies();
      expect(bodies.filter((b) => b !== 'bob-during')).toEqual(['before', 'during-1', 'during-2']);
      expect(bodies).toContain('bob-during');
      expect(c.closed).toBeNull();
    }
    await Promise.all([alice.close(), bob.close()]);
  });

  it('frames the server writes during a freeze (published events, a token expiry) are held and written after it, in order', async () => {
    const { server } = await startServer({ dev: true });
    cleanups.push(() => server.close());
    const alice = await ProtocolClient.login(server.url, await token('alice', 2));
    server.publish('alice', 'one');
    await until(() => alice.eventSeqs.length === 1, 2000, 'the first event');

    server.faults.freeze(2500);
    for (const body of ['two', 'three', 'four']) server.publish('alice', body);
    await sleep(1200); // past the token's exp: the TOKEN_EXPIRED close is held too
    expect(alice.eventSeqs).toEqual([1]);
    expect(alice.closed).toBeNull();

    await until(() => alice.closed !== null, 5000, 'the held close');
    expect(alice.bodies()).toEqual(['one', 'two', 'three', 'four']);
    expect(alice.frames.at(-1)).toEqual({ type: 'session:disconnect', reason: 'TOKEN_EXPIRED' });
    expect(alice.closed?.code).toBe(4001);
  });
});
