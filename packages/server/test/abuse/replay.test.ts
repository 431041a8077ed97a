/**
 * Issue 12, case 4: more events than the replay buffer holds during an outage used to be dropped
 * without a word. Now `session:success` carries `firstSeq`, the oldest seq still replayable, so a
 * client whose lastSeq + 1 < firstSeq knows what is gone. Also here: a client that stops reading
 * cannot make the server hold what it does not read (the slow-consumer policy).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { token, until } from '../helpers.js';
import { contiguous, ProtocolClient } from './protocol-client.js';
import { rawSocket } from './raw-socket.js';
import type { ServerProcess } from './server-process.js';
import { startServerProcess } from './server-process.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(() => server?.stop(), 20_000);

type Success = { firstSeq: number; lastSeq: number; resumed: boolean };
const successOf = (c: ProtocolClient) => c.success as unknown as Success;

describe('abuse: replay buffers (server process, default limits)', () => {
  it('an outage longer than the buffer: the resume announces the gap (firstSeq) and replays the rest in order', async () => {
    const away = await ProtocolClient.login(server.url, await token('away'));
    const { sessionId } = away;
    expect(successOf(away)).toMatchObject({ lastSeq: 0, firstSeq: 1 });
    await away.close();
    const sender = await ProtocolClient.login(server.url, await token('chatty'), { keepEvents: false });
    const mids = Array.from({ length: 40 }, (_, i) => `big-${i}`);
    // 40 × 50 KB: twice the 1 MiB buffer.
    await sender.sendInOrder(
      mids.map((_, i) => JSON.stringify(`${i}:${'x'.repeat(50_000)}`)),
      mids,
    );

    const back = await ProtocolClient.login(server.url, await token('away'), { sessionId, lastSeq: 0 });
    const { firstSeq, lastSeq, resumed } = successOf(back);
    expect(resumed).toBe(true);
    expect(lastSeq).toBe(40);
    expect(firstSeq).toBeGreaterThan(1); // events 1..firstSeq-1 are gone, and the client is told
    expect(firstSeq).toBeLessThanOrEqual(40 - 15); // ...but 1 MiB worth is kept
    await until(() => back.lastSeq === 40, 5000, 'the replay');
    expect(back.eventSeqs[0]).toBe(firstSeq);
    expect(contiguous(back.eventSeqs)).toBe(true);
    expect(back.bodies().map((b) => Number((b as string).split(':')[0]))).toEqual(
      Array.from({ length: 41 - firstSeq }, (_, i) => firstSeq - 1 + i),
    );
    const kept = back.events.reduce((n, e) => n + e.text.length, 0);
    expect(kept).toBeLessThanOrEqual(1024 * 1024);
    await Promise.all([back.close(), sender.close()]);
  });

  it('a client that stops reading: the server holds at most its buffers, cuts it (4429 "too slow"), and the resume announces the gap', async () => {
    const slow = await ProtocolClient.login(server.url, await token('slow'), { keepEvents: false });
    const { sessionId } = slow;
    slow.stopReading();
    const reader = await ProtocolClient.login(server.url, await token('fast-reader'), { keepEvents: false });
    const baselineMb = server.rssMb();
    // Four senders at the default rate for 8 s, 60 KB each: 192 MB for the slow client not to read.
    const body = JSON.stringify('y'.repeat(60_000));
    const senders = await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const s = await rawSocket(server.url);
        s.send(JSON.stringify({ type: 'session:login', token: await token(`sender-${i}`) }));
        return s;
      }),
    );
    const sent = 800;
    await Promise.all(
      senders.map(async (s, i) => {
        const started = Date.now();
        for (let n = 0; n < sent; n++) {
          s.send(`{"type":"message","mid":"s${i}-${n}","body":${body}}`);
          await new Promise((r) => setTimeout(r, Math.max(0, started + (n + 1) * 10 - Date.now())));
        }
      }),
    );
    const total = senders.length * sent;
    // ~10 s on an idle machine; a full test run beside others has taken more than 60.
    await until(() => senders.every((s) => s.answers() === sent), 180_000, 'every message to be answered');
    const peakMb = server.peakRssMb();
    console.log(
      `abuse: ${total} events of 60 KB (${((total * 60_000) / 1e6).toFixed(0)} MB) to a client that does not read; server RSS ${baselineMb.toFixed(0)} MB before, peak ${peakMb.toFixed(0)} MB`,
    );
    // 192 MB to one reader: seconds when idle, much longer beside other test files on two cores.
    await until(() => reader.lastSeq === total, 180_000, 'the reader to receive everything');
    // It did not hold what the slow client never read: the growth is the garbage of the JSON work
    // (about 60 MB whether 96 or 192 MB go unread), not the unread bytes.
    expect(peakMb - baselineMb).toBeLessThan(96);
    expect(peakMb).toBeLessThan(250);
    expect(reader.closed).toBeNull();
    expect(contiguous(reader.eventSeqs)).toBe(true);

    // The slow client reads at last: what fitted in its buffers, then why it was cut.
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await until(() => slow.closed !== null, 10_000, 'the close');
    expect(slow.closed?.code).toBe(4429);
    expect(slow.frames.find((f) => f.type === 'session:error')).toMatchObject({ code: 4429 });
    expect(contiguous(slow.eventSeqs)).toBe(true);
    const got = slow.lastSeq;
    expect(got).toBeLessThan(total);
    const back = await ProtocolClient.login(server.url, await token('slow'), {
      sessionId,
      lastSeq: got,
      keepEvents: false,
    });
    expect(successOf(back)).toMatchObject({ resumed: true, lastSeq: total });
    expect(successOf(back).firstSeq).toBeGreaterThan(got + 1); // the gap, announced
    await until(() => back.lastSeq === total, 10_000, 'the rest');
    expect(contiguous(back.eventSeqs)).toBe(true);
    for (const s of senders) s.close();
    await Promise.all([back.close(), reader.close()]);
  }, 240_000);
});
