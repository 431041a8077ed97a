import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CloseCode, closeAction } from './close-codes.js';
import { encodeClientFrame, encodeEventFrame, encodeServerFrame } from './encode.js';
import type { ClientFrame, ServerFrame } from './frames.js';
import { scanFrame } from './json-scan.js';
import { maxBodyDepth } from './limits.js';
import { parseClientFrame, parseServerFrame } from './parse.js';

const id = fc.string({ minLength: 1, maxLength: 128 });
const seq = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const time = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0));
const positive = fc.double({ min: 1, max: 1e9, noNaN: true });
const token = fc.string({ minLength: 1, maxLength: 2048 });
// JSON round trips cannot keep -0 (it becomes 0); bodies are JSON values, so they never hold one.
const body = fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);

const clientFrame: fc.Arbitrary<ClientFrame> = fc.oneof(
  fc.record(
    { type: fc.constant('session:login' as const), token, sessionId: id, lastSeq: seq },
    { requiredKeys: ['type', 'token'] },
  ),
  fc.record({ type: fc.constant('session:update_token' as const), rid: id, token }),
  fc.record({ type: fc.constant('session:logout' as const), rid: id }),
  fc.record({ type: fc.constant('message' as const), mid: id, body }),
  fc.record({ type: fc.constant('ack' as const), seq }),
  fc.record({ type: fc.constant('ping' as const), t: time }),
);

const serverFrame: fc.Arbitrary<ServerFrame> = fc.oneof(
  fc.record({
    type: fc.constant('session:success' as const),
    sessionId: id,
    userId: fc.string(),
    resumed: fc.boolean(),
    serverTime: time,
    tokenExpiresAt: time,
    resumeWindowMs: time,
    lastSeq: seq,
    firstSeq: seq,
    limits: fc.record({ maxFrameBytes: positive, messagesPerSecond: positive, burst: positive }),
  }),
  fc.record({ type: fc.constant('session:token_updated' as const), rid: id, tokenExpiresAt: time }),
  fc.record({ type: fc.constant('session:logged_out' as const), rid: id }),
  fc.record(
    { type: fc.constant('event' as const), seq: seq.filter((n) => n > 0), body, from: fc.string() },
    { requiredKeys: ['type', 'seq', 'body'] },
  ),
  fc.record({ type: fc.constant('message:ack' as const), mid: id }),
  fc.record(
    {
      type: fc.constant('message:nack' as const),
      mid: id,
      code: fc.constantFrom('rate_limited' as const, 'too_large' as const, 'invalid' as const),
      retryAfterMs: fc.nat(),
      message: fc.string(),
    },
    { requiredKeys: ['type', 'mid', 'code', 'message'] },
  ),
  fc.record({ type: fc.constant('pong' as const), t: time }),
  fc.record({ type: fc.constant('session:disconnect' as const), reason: fc.constant('TOKEN_EXPIRED' as const) }),
  fc.record(
    {
      type: fc.constant('session:error' as const),
      code: fc.integer(),
      message: fc.string(),
      rid: id,
      retryAfterMs: fc.nat(),
    },
    { requiredKeys: ['type', 'code', 'message'] },
  ),
);

const nested = (depth: number, inner = '1') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

describe('protocol: every frame survives a round trip through the other side', () => {
  it('client frames: parseClientFrame(encodeClientFrame(f)) is f', () => {
    fc.assert(
      fc.property(clientFrame, (frame) => {
        const text = encodeClientFrame(frame);
        expect(text.startsWith(`{"type":${JSON.stringify(frame.type)}`)).toBe(true);
        expect(parseClientFrame(text)).toEqual({ ok: true, frame });
      }),
      { numRuns: 500, seed: 20261126 },
    );
  });

  it('server frames: parseServerFrame(encodeServerFrame(f)) is f', () => {
    fc.assert(
      fc.property(serverFrame, (frame) => {
        const text = encodeServerFrame(frame);
        expect(text.startsWith(`{"type":${JSON.stringify(frame.type)}`)).toBe(true);
        expect(parseServerFrame(text)).toEqual({ ok: true, frame });
      }),
      { numRuns: 500, seed: 20261126 },
    );
  });

  it('event frames written around a serialized body parse to the same event', () => {
    fc.assert(
      fc.property(
        seq.filter((n) => n > 0),
        fc.option(fc.string()),
        body,
        (n, from, value) => {
          const text = encodeEventFrame(n, from, JSON.stringify(value));
          expect(parseServerFrame(text)).toEqual({
            ok: true,
            frame: { type: 'event', seq: n, body: value, ...(from !== null ? { from } : {}) },
          });
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('a frame parsed by one side never comes back as a frame of the other', () => {
    fc.assert(
      fc.property(clientFrame, serverFrame, (c, s) => {
        // Only `ping`/`pong` and friends differ by type; no frame type exists in both directions.
        expect(parseServerFrame(encodeClientFrame(c)).ok).toBe(false);
        expect(parseClientFrame(encodeServerFrame(s)).ok).toBe(false);
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});

describe('protocol: hostile and malformed frames', () => {
  it('a message body nested deeper than 64 levels is refused with a nack for its own mid', () => {
    const text = `{"type":"message","mid":"m-1","body":${nested(30_000)}}`;
    expect(parseClientFrame(text)).toEqual({
      ok: false,
      violation: {
        code: CloseCode.malformed,
        message: 'body nested deeper than 64 levels',
        nack: { mid: 'm-1', code: 'invalid' },
      },
    });
  });

  it('64 levels are accepted, 65 are not', () => {
    expect(parseClientFrame(`{"type":"message","mid":"m","body":${nested(maxBodyDepth)}}`).ok).toBe(true);
    const refused = parseClientFrame(`{"type":"message","mid":"m","body":${nested(maxBodyDepth + 1)}}`);
    expect(refused.ok === false && refused.violation.nack).toEqual({ mid: 'm', code: 'invalid' });
  });

  it('the mid is found even after the body, and brackets inside strings do not count', () => {
    const text = `{"type":"message","body":{"s":"[[[[\\"{{{{"},"deep":${nested(80)},"mid":"late"}`;
    // The scan stops at the limit, before it sees `mid`: no mid, so the connection closes instead.
    expect(parseClientFrame(text)).toMatchObject({ ok: false, violation: { code: 4400 } });
    const early = `{"type":"message","mid":"early","body":{"s":"[[[[\\"{{{{","deep":${nested(80)}}}`;
    expect(parseClientFrame(early)).toMatchObject({ ok: false, violation: { nack: { mid: 'early' } } });
    expect(scanFrame('{"s":"[[[[[[[["}', 2)).toEqual({ tooDeep: false, depth: 1 });
  });

  it('a deep frame of any other type closes 4400', () => {
    expect(parseClientFrame(`{"type":"ping","t":${nested(100)}}`)).toMatchObject({
      ok: false,
      violation: { code: 4400 },
    });
    // Server frames are shape-checked only: the server refuses deep bodies before storing them.
    expect(parseServerFrame(`{"type":"event","seq":1,"body":${nested(100)}}`).ok).toBe(true);
  });

  it('a message without a body is nacked; without a usable mid it closes', () => {
    expect(parseClientFrame('{"type":"message","mid":"x"}')).toMatchObject({
      ok: false,
      violation: { nack: { mid: 'x', code: 'invalid' } },
    });
    expect(parseClientFrame(`{"type":"message","mid":"${'x'.repeat(129)}","body":1}`)).toMatchObject({
      ok: false,
      violation: { code: 4400 },
    });
  });

  it.each([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['a string', '"session:login"'],
    ['unknown type', '{"type":"hello"}'],
    ['login without token', '{"type":"session:login"}'],
    ['negative lastSeq', '{"type":"session:login","token":"t","lastSeq":-1}'],
    ['ack with a float', '{"type":"ack","seq":1.5}'],
    ['ping without t', '{"type":"ping"}'],
  ])('client frame %s → 4400 with a reason', (_name, text) => {
    const parsed = parseClientFrame(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.violation.code).toBe(4400);
      expect(parsed.violation.message.length).toBeGreaterThan(5);
    }
  });

  it('non-text input is refused, not thrown on', () => {
    expect(parseClientFrame(undefined).ok).toBe(false);
    expect(parseServerFrame(new Uint8Array([123, 125])).ok).toBe(false);
  });

  it('odd strings and huge flat bodies never throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        expect(() => parseClientFrame(text)).not.toThrow();
        expect(() => parseServerFrame(text)).not.toThrow();
      }),
      { numRuns: 500, seed: 3 },
    );
    const flat = `{"type":"message","mid":"m","body":[${Array.from({ length: 20_000 }, () => '[]').join(',')}]}`;
    expect(parseClientFrame(flat).ok).toBe(true);
  });

  it('extra fields are dropped, so nothing unexpected travels further', () => {
    expect(parseClientFrame('{"type":"ack","seq":3,"__proto__":{"x":1},"admin":true}')).toEqual({
      ok: true,
      frame: { type: 'ack', seq: 3 },
    });
  });
});

describe('close codes', () => {
  it('tell the client what to do', () => {
    expect(closeAction(CloseCode.tokenExpired)).toBe('token_expired');
    expect(closeAction(CloseCode.invalidToken)).toBe('login_failed');
    expect(closeAction(CloseCode.replaced)).toBe('replaced');
    for (const code of [1000, 1001, 1006, 1009, 4400, 4408, 4429, 4503]) expect(closeAction(code)).toBe('retry');
  });
});
