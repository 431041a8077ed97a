import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FloodMeter, MessageGate } from '../src/flow-control.js';

describe('MessageGate: messages over the rate are refused one by one, in a way that keeps the order', () => {
  it('admits the burst, then refuses with the time until a tenth of a second of messages has refilled', () => {
    const gate = new MessageGate(100, 200, 0);
    for (let i = 0; i < 200; i++) expect(gate.admit(`m${i}`, 0)).toEqual({ ok: true });
    expect(gate.admit('m200', 0)).toEqual({ ok: false, retryAfterMs: 100 });
  });

  it('once one is refused, every later one is refused until the deadline, with the time left', () => {
    const gate = new MessageGate(100, 20, 0);
    for (let i = 0; i < 20; i++) gate.admit(`a${i}`, 0);
    expect(gate.admit('b', 0)).toEqual({ ok: false, retryAfterMs: 100 });
    // 50 ms later the bucket holds 5 tokens, but admitting c would put it ahead of b.
    expect(gate.admit('c', 50)).toEqual({ ok: false, retryAfterMs: 50 });
    expect(gate.admit('d', 99)).toEqual({ ok: false, retryAfterMs: 1 });
  });

  it('after the deadline it reopens only for the first refused message; later ones that were still on the way are refused', () => {
    const gate = new MessageGate(100, 20, 0);
    for (let i = 0; i < 20; i++) gate.admit(`a${i}`, 0);
    gate.admit('b', 0); // refused: the gate closes until 100 ms and b comes back
    expect(gate.admit('c', 150).ok).toBe(false); // sent before the client saw b's nack, arrived late
    expect(gate.closed).toBe(true);
    expect(gate.admit('b', 160)).toEqual({ ok: true });
    expect(gate.admit('c', 160)).toEqual({ ok: true });
    expect(gate.closed).toBe(false);
  });

  it('a refused first message that is refused again keeps the gate closed for it', () => {
    const gate = new MessageGate(10, 1, 0);
    gate.admit('a', 0);
    expect(gate.admit('b', 0)).toEqual({ ok: false, retryAfterMs: 100 });
    expect(gate.admit('b', 100)).toEqual({ ok: true });
    expect(gate.admit('c', 100)).toEqual({ ok: false, retryAfterMs: 100 });
    expect(gate.admit('d', 250).ok).toBe(false);
    expect(gate.admit('c', 250).ok).toBe(true);
  });

  /**
   * A client and the server over a link that keeps order but not time (bandwidth and latency vary
   * per frame). The client sends in order, at most `window` in flight; after a refusal it waits
   * until every message in flight is answered and retryAfterMs has passed, then resends from the
   * first refused one. Whatever the timing, the server accepts every message once, in send order.
   */
  it('property: over a link with any delays, the accepted order is the send order', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 400 }),
          perSecond: fc.constantFrom(100, 10, 1000),
          burst: fc.constantFrom(200, 1, 5, 50),
          window: fc.integer({ min: 1, max: 64 }),
          latencyMs: fc.integer({ min: 0, max: 200 }),
          txMs: fc.array(fc.integer({ min: 0, max: 80 }), { minLength: 1, maxLength: 50 }),
          gapMs: fc.integer({ min: 0, max: 20 }),
        }),
        ({ n, perSecond, burst, window, latencyMs, txMs, gapMs }) => {
          const gate = new MessageGate(perSecond, burst, 0);
          const accepted: number[] = [];
          const taken = new Set<number>();
          // A tiny discrete-event loop.
          const queue: { at: number; run: () => void }[] = [];
          const at = (t: number, run: () => void) => {
            queue.push({ at: t, run });
            queue.sort((a, b) => a.at - b.at);
          };
          let now = 0;
          let uplinkFreeAt = 0;
          let sentFrames = 0;
          let cursor = 0;
          const inFlight = new Set<number>();
          let firstRefused = Number.POSITIVE_INFINITY;
          let resendAt = 0;
          let nextSendAt = 0;
          const answer = (i: number, ok: boolean, retryAfterMs: number) =>
            at(now + latencyMs, () => {
              inFlight.delete(i);
              if (!ok) {
                firstRefused = Math.min(firstRefused, i);
                resendAt = Math.max(resendAt, now + retryAfterMs);
              }
              if (inFlight.size === 0 && Number.isFinite(firstRefused)) {
                at(Math.max(now, resendAt), () => {
                  cursor = firstRefused;
                  firstRefused = Number.POSITIVE_INFINITY;
                  pump();
                });
              } else pump();
            });
          const arrive = (i: number) => {
            if (taken.has(i)) return answer(i, true, 0);
            const a = gate.admit(`m${i}`, now);
            if (a.ok) {
              taken.add(i);
              accepted.push(i);
              answer(i, true, 0);
            } else answer(i, false, a.retryAfterMs);
          };
          const pump = () => {
            while (cursor < n && inFlight.size < window && !Number.isFinite(firstRefused)) {
              const i = cursor++;
              inFlight.add(i);
              const tx = txMs[sentFrames++ % txMs.length] as number;
              const sendAt = Math.max(now, nextSendAt);
              nextSendAt = sendAt + gapMs;
              // One TCP stream: a frame leaves after the one before it, then takes the latency.
              uplinkFreeAt = Math.max(uplinkFreeAt, sendAt) + tx;
              at(uplinkFreeAt + latencyMs, () => arrive(i));
            }
          };
          pump();
          for (let steps = 0; queue.length > 0 && steps < 1_000_000; steps++) {
            const next = queue.shift() as { at: number; run: () => void };
            now = next.at;
            next.run();
          }
          expect(accepted).toEqual(Array.from({ length: n }, (_, i) => i));
        },
      ),
      { numRuns: 300, seed: 12 },
    );
  });
});

describe('FloodMeter', () => {
  it('lets through floodFactor × the limits, then says flood; asks a flooder to wait while the bucket refills', () => {
    const meter = new FloodMeter(100, 200, 10, 0);
    for (let i = 0; i < 2000; i++) expect(meter.take(0)).toBe(true);
    expect(meter.take(0)).toBe(false);
    expect(meter.take(1)).toBe(true); // 1000 frames per second refill
    expect(meter.retryAfterMs).toBe(2000);
    expect(new FloodMeter(1000, 10, 10, 0).retryAfterMs).toBe(1000);
  });
});

describe('MessageGate.hold (a message the shared store could not take)', () => {
  it('refuses it and every later message until it comes back after the wait; then the order resumes', () => {
    const gate = new MessageGate(100, 200, 0);
    expect(gate.admit('m1', 0)).toEqual({ ok: true });
    gate.hold('m1', 0, 1000);
    expect(gate.admit('m2', 10)).toEqual({ ok: false, retryAfterMs: 990 });
    expect(gate.admit('m1', 500)).toEqual({ ok: false, retryAfterMs: 500 });
    // After the wait, m2 (sent before the client saw the nack) still waits for m1.
    expect(gate.admit('m2', 1000).ok).toBe(false);
    expect(gate.admit('m1', 1000)).toEqual({ ok: true });
    expect(gate.admit('m2', 1001)).toEqual({ ok: true });
  });
});
