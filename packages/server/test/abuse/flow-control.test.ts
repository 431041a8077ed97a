/**
 * Issue 12, case 1: 300 `send()`s in a row on a live connection. The server used to count them
 * as frames and close 4429 at the 201st; the client came back 5 s later, flushed, was cut again,
 * and crawled. Now messages over the announced rate are refused one by one (`message:nack`
 * rate_limited with retryAfterMs), the connection stays, and a client that resends in order gets
 * every message accepted in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { token, until } from '../helpers.js';
import { contiguous, ProtocolClient } from './protocol-client.js';
import type { ServerProcess } from './server-process.js';
import { startServerProcess } from './server-process.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(() => server?.stop(), 20_000);

describe('abuse: a burst beyond the announced rate (server process, default limits)', () => {
  it('300 messages back to back: nacked, never cut; all 300 acknowledged in order; a bystander receives them in order', async () => {
    const bystander = await ProtocolClient.login(server.url, await token('bystander'));
    const sender = await ProtocolClient.login(server.url, await token('sender'));
    const mids = Array.from({ length: 300 }, (_, i) => `m${i}`);

    const sending = sender.sendInOrder(
      mids.map((_, i) => String(i)),
      mids,
    );
    // A ping behind the refused messages is answered at once: nacks never starve other frames.
    sender.send({ type: 'ping', t: 7 });
    await until(() => sender.frames.some((f) => f.type === 'pong'), 5000, 'the pong');
    const ackedAtPong = sender.acked.length;
    const { nacked } = await sending;

    expect(ackedAtPong).toBeLessThan(300);
    expect(sender.closed).toBeNull();
    expect(sender.acked).toEqual(mids);
    expect(nacked).toBeGreaterThanOrEqual(100); // the burst (200) really was exceeded
    expect(sender.nacks.every((n) => n.code === 'rate_limited' && (n.retryAfterMs as number) > 0)).toBe(true);
    await until(() => bystander.eventSeqs.length === 300, 10_000, 'the bystander to receive all 300');
    expect(bystander.bodies()).toEqual(mids.map((_, i) => i));
    expect(contiguous(bystander.eventSeqs)).toBe(true);
    expect(bystander.closed).toBeNull();
    // What the client paces by: the limits, announced at login.
    expect(sender.success).toMatchObject({ limits: { maxFrameBytes: 65_536, messagesPerSecond: 100, burst: 200 } });
    await Promise.all([sender.close(), bystander.close()]);
  });

  it('a client that ignores the nacks and keeps blasting is cut off (4429) only far beyond the limit, after a session:error with retryAfterMs', async () => {
    const bystander = await ProtocolClient.login(server.url, await token('bystander-2'));
    const blaster = await ProtocolClient.login(server.url, await token('blaster'));
    for (let i = 0; i < 5000 && blaster.closed === null; i++) blaster.send({ type: 'message', mid: `b${i}`, body: i });
    await until(() => blaster.closed !== null, 10_000, 'the blaster to be cut off');
    expect(blaster.closed?.code).toBe(4429);
    const error = blaster.frames.find((f) => f.type === 'session:error');
    expect(error).toMatchObject({ code: 4429, retryAfterMs: 2000 });
    // Not before the flood threshold (10 × the burst of 200): it got nacks first, not a close.
    expect(blaster.acked.length + blaster.nacks.length).toBeGreaterThanOrEqual(1900);
    expect(blaster.acked).toEqual(Array.from({ length: blaster.acked.length }, (_, i) => `b${i}`));
    await until(() => bystander.eventSeqs.length === blaster.acked.length, 10_000, 'the bystander events');
    expect(contiguous(bystander.eventSeqs)).toBe(true);
    expect(bystander.closed).toBeNull();
    await bystander.close();
  });
});
