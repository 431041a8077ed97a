/**
 * Issue 12, cases 2 and 3: hostile message bodies against the server process at default limits.
 * A body nested 30,000 deep used to be accepted, stored for every waiting session, and make every
 * replay throw (each victim closed 4400, forever). Four connections sending 60 KB bodies of `[]`
 * items grew the server to GBs (bodies were stored parsed: ~1 MB of objects each, 10,000 per
 * session) until it died. Now a deep body is refused with a nack for its own mid before it
 * reaches anyone, bodies are stored as their JSON text, and each session's buffer is capped.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { token, until } from '../helpers.js';
import { contiguous, ProtocolClient } from './protocol-client.js';
import { rawSocket } from './raw-socket.js';
import type { ServerProcess } from './server-process.js';
import { startServerProcess } from './server-process.js';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** ~60 KB of `[]` items: the cheapest text that makes JSON.parse build the most objects. */
const emptyArrays = (bytes: number) => `[${Array.from({ length: Math.floor(bytes / 3) }, () => '[]').join(',')}]`;

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(() => server?.stop(), 20_000);

/** A body as JSON text, with what the server must answer for it. */
interface Case {
  text: string;
  /** Deepest nesting (0 for a scalar); past 64 the message is refused. */
  depth: number;
  valid: boolean;
}

const depthOf = (v: unknown): number =>
  typeof v === 'object' && v !== null ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0;
const fromValue = (v: unknown): Case => ({ text: JSON.stringify(v), depth: depthOf(v), valid: true });
const deepArray = (d: number): Case => ({ text: nested(d), depth: d, valid: true });
const deepObject = (d: number): Case => ({ text: `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`, depth: d, valid: true });
const mixed = (d: number): Case => ({
  text: `${'[{"k":'.repeat(d)}"x"${'}]'.repeat(d)}`,
  depth: 2 * d,
  valid: true,
});

const bodies: fc.Arbitrary<Case> = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }).map(fromValue),
  fc.integer({ min: 55, max: 75 }).map(deepArray),
  fc.integer({ min: 60, max: 40_000 }).map(deepArray),
  fc.integer({ min: 30, max: 20_000 }).map(deepObject),
  fc.integer({ min: 20, max: 10_000 }).map(mixed),
  // Flat and huge: up to ~75 KB, so some frames are past the 64 KiB limit.
  fc.integer({ min: 1, max: 25_000 }).map((n) => ({ text: emptyArrays(3 * n), depth: 2, valid: true })),
  fc.integer({ min: 1, max: 70_000 }).map((n) => fromValue('x'.repeat(n))),
  // Odd strings: lone surrogates, control characters, anything in UTF-16.
  fc.string({ unit: 'binary', maxLength: 300 }).map(fromValue),
  fc
    .array(fc.integer({ min: 0xd800, max: 0xdfff }), { maxLength: 20 })
    .map((cs) => fromValue(String.fromCharCode(...cs))),
  fc.constantFrom<Case>(
    { text: '-0', depth: 0, valid: true },
    { text: '1e308', depth: 0, valid: true },
    { text: '5e-324', depth: 0, valid: true },
    { text: '123456789012345678901234567890', depth: 0, valid: true },
    { text: '{"__proto__":{"admin":true},"constructor":{"prototype":1}}', depth: 2, valid: true },
    { text: '{"a":1,"a":2}', depth: 1, valid: true },
    { text: ' [ 1 ,\n\t2 ] ', depth: 1, valid: true },
    { text: '"\\u0000\\ud83d\\ude00\\ud800"', depth: 0, valid: true },
    { text: 'null', depth: 0, valid: true },
    { text: '[1,', depth: 1, valid: false },
    { text: 'NaN', depth: 0, valid: false },
    { text: "{'a':1}", depth: 1, valid: false },
  ),
);

describe('abuse: hostile bodies (server process, default limits)', () => {
  it('a body nested 30,000 deep is nacked (invalid) for its own mid and never reaches another session', async () => {
    const waiting = await ProtocolClient.login(server.url, await token('waiting'));
    const { sessionId } = waiting;
    await waiting.close();
    const live = await ProtocolClient.login(server.url, await token('live'));
    const attacker = await ProtocolClient.login(server.url, await token('attacker'));

    attacker.send(`{"type":"message","mid":"deep","body":${nested(30_000)}}`);
    await attacker.sendInOrder(['"after"'], ['after']);

    expect(attacker.nacks).toEqual([
      { type: 'message:nack', mid: 'deep', code: 'invalid', message: 'body nested deeper than 64 levels' },
    ]);
    expect(attacker.acked).toEqual(['after']);
    expect(attacker.closed).toBeNull();
    await until(() => live.eventSeqs.length === 1, 3000, 'the live session to get "after"');
    expect(live.bodies()).toEqual(['after']);
    // The waiting session resumes and is replayed what it missed, once, and stays connected.
    const back = await ProtocolClient.login(server.url, await token('waiting'), { sessionId, lastSeq: 0 });
    expect(back.success).toMatchObject({ resumed: true, sessionId });
    await until(() => back.eventSeqs.length === 1, 3000, 'the replay');
    await new Promise((r) => setTimeout(r, 200));
    expect(back.bodies()).toEqual(['after']);
    expect(back.closed).toBeNull();
    expect(live.closed).toBeNull();
    await Promise.all([back.close(), live.close(), attacker.close()]);
  });

  it('fuzz: nested, huge and odd bodies get an ack, a nack or a documented close; a bystander keeps order; memory stays bounded', async () => {
    const bystander = await ProtocolClient.login(server.url, await token('fuzz-bystander'));
    let attacker = await ProtocolClient.login(server.url, await token('fuzzer'));
    const { sessionId } = attacker;
    const accepted: string[] = [];
    const seen = { ack: 0, invalid: 0, 1009: 0, 4400: 0 };
    let n = 0;
    await fc.assert(
      fc.asyncProperty(bodies, async (c) => {
        const mid = `f${n++}`;
        const frame = `{"type":"message","mid":"${mid}","body":${c.text}}`;
        const answer = await attacker.sendOne(mid, frame);
        if (Buffer.byteLength(frame) > 65_536) {
          expect(answer).toEqual({ type: 'closed', code: 1009 });
          seen[1009]++;
        } else if (!c.valid) {
          expect(answer).toEqual({ type: 'closed', code: 4400 });
          seen[4400]++;
        } else if (c.depth > 64) {
          expect(answer).toMatchObject({ type: 'message:nack', mid, code: 'invalid' });
          seen.invalid++;
        } else {
          expect(answer).toEqual({ type: 'message:ack', mid });
          accepted.push(JSON.stringify(JSON.parse(c.text)));
          seen.ack++;
        }
        if (answer.type === 'closed') {
          // The owner comes back to the same session; resumes are never limited.
          attacker = await ProtocolClient.login(server.url, await token('fuzzer'), { sessionId, lastSeq: 0 });
        }
      }),
      { numRuns: 150, seed: 20261126 },
    );
    await until(
      () => bystander.eventSeqs.length === accepted.length,
      10_000,
      'the bystander to receive every accepted body',
    );
    console.log(`abuse fuzz: 150 bodies: ${JSON.stringify(seen)}; server peak RSS ${server.peakRssMb().toFixed(0)} MB`);
    expect(bystander.closed).toBeNull();
    expect(contiguous(bystander.eventSeqs)).toBe(true);
    expect(bystander.bodies().map((b) => JSON.stringify(b))).toEqual(accepted);
    expect(server.alive()).toBe(true);
    expect(server.peakRssMb()).toBeLessThan(250);
    await Promise.all([bystander.close(), attacker.close()]);
  }, 120_000);

  it('four connections sending 60 KB bodies of [] at the full rate: memory stays bounded, everyone else keeps order', async () => {
    const body = emptyArrays(60_000);
    const baselineMb = server.rssMb();
    const readers = await Promise.all(
      [0, 1].map(async (i) => ProtocolClient.login(server.url, await token(`reader-${i}`), { keepEvents: false })),
    );
    const waiting = await ProtocolClient.login(server.url, await token('waiting-60k'));
    const { sessionId } = waiting;
    await waiting.close();
    // Attackers read what they are sent (so the server never waits for them) but never acknowledge
    // it, so their sessions' buffers fill up to the cap, as a waiting session's does.
    const attackers = await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const a = await rawSocket(server.url);
        a.send(JSON.stringify({ type: 'session:login', token: await token(`attacker-${i}`) }));
        return a;
      }),
    );
    const seconds = 3;
    const sent = 100 * seconds;
    // One message per 10 ms per connection: the default rate (100/s), all of it accepted.
    await Promise.all(
      attackers.map(async (a, i) => {
        const started = Date.now();
        for (let n = 0; n < sent; n++) {
          a.send(`{"type":"message","mid":"a${i}-${n}","body":${body}}`);
          await new Promise((r) => setTimeout(r, Math.max(0, started + (n + 1) * 10 - Date.now())));
        }
      }),
    );
    // The server reads a connection only as fast as it handles it (TCP holds the rest): wait for
    // every message to be answered before the marker.
    await until(() => attackers.every((a) => a.answers() === sent), 60_000, 'every attack message to be answered');
    // A last message from a well-behaved client marks the end for the readers.
    const marker = await ProtocolClient.login(server.url, await token('marker'), { keepEvents: false });
    await marker.sendInOrder(['"the end"'], ['end']);
    const isEnd = (c: ProtocolClient) => c.lastEventText.endsWith('"body":"the end"}');
    await until(() => readers.every(isEnd), 30_000, 'the readers to receive everything');
    const end = readers[0]?.lastSeq as number;
    const peakMb = server.peakRssMb();
    const back = await ProtocolClient.login(server.url, await token('waiting-60k'), { sessionId, lastSeq: 0 });
    const { firstSeq, lastSeq } = back.success as unknown as { firstSeq: number; lastSeq: number };
    await until(() => back.lastSeq === lastSeq, 10_000, 'the capped replay');
    console.log(
      `abuse: ${lastSeq - 1} bodies of 60 KB [] sent by 4 connections over ${seconds} s; server RSS ${baselineMb.toFixed(0)} MB before, peak ${peakMb.toFixed(0)} MB; a waiting session kept ${lastSeq - firstSeq + 1} events`,
    );

    expect(server.alive()).toBe(true);
    expect(lastSeq - 1).toBeGreaterThan(0.9 * 4 * 100 * seconds); // the attack really ran at the rate
    expect(peakMb).toBeLessThan(250);
    for (const r of readers) {
      expect(r.closed).toBeNull();
      expect(r.lastSeq).toBe(end);
      expect(r.eventSeqs[0]).toBe(1);
      expect(contiguous(r.eventSeqs)).toBe(true);
    }
    // The waiting session's buffer kept what fits in 1 MiB, newest last, and said where it starts.
    expect(lastSeq).toBe(end);
    expect(firstSeq).toBeGreaterThan(end - 20);
    expect(back.eventSeqs[0]).toBe(firstSeq);
    expect(contiguous(back.eventSeqs)).toBe(true);
    for (const a of attackers) a.close();
    await Promise.all([...readers, marker, back].map((c) => c.close()));
  }, 60_000);
});
