import { describe, expect, it } from 'vitest';
import { SessionError } from '../src/errors.js';
import { makeTestToken } from '../src/testing/test-token.js';
import { decodeToken, refreshAtMs, tokenStatusAt } from '../src/token.js';

describe('decodeToken', () => {
  it('reads exp, iat and sub without verifying', () => {
    expect(decodeToken(makeTestToken({ sub: 'bob', exp: 2000, iat: 1000 }))).toEqual({
      sub: 'bob',
      exp: 2000,
      iat: 1000,
    });
  });

  it('decodes UTF-8 claims', () => {
    expect(decodeToken(makeTestToken({ sub: 'zoë-日本' })).sub).toBe('zoë-日本');
  });

  it.each<[unknown, string]>([
    ['', 'non-empty'],
    ['abc', 'three dot-separated'],
    ['a.!!!.c', 'base64url'],
    [`a.${btoa('[1]')}.c`, 'JSON object'],
    [makeTestToken({ exp: 'soon' as unknown as number }), '`exp`'],
    [42, 'non-empty string'],
  ])('rejects %j with a typed error', (token, words) => {
    try {
      decodeToken(token);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SessionError);
      expect((err as SessionError).type).toBe('error:client:token_invalid');
      expect((err as SessionError).message).toContain(words);
    }
  });
});

describe('token timing', () => {
  it.each([
    [0, null, 'valid'],
    [0, 1_000_000, 'valid'],
    [880_000, 1_000_000, 'expiring'],
    [1_000_000, 1_000_000, 'expired'],
  ] as const)('at %i with expiry %s the status is %s', (now, exp, status) => {
    expect(tokenStatusAt(now, exp, 120_000)).toBe(status);
  });

  it('refreshes lead ms before expiry, never before half-way through the lifetime', () => {
    expect(refreshAtMs(0, 3_600_000, 60_000)).toBe(3_540_000);
    expect(refreshAtMs(0, 60_000, 60_000)).toBe(30_000);
  });
});

describe('decodeToken refuses what only looks like a JWT', () => {
  it('the JSON a token endpoint wraps a token in is not a token', () => {
    const decode = decodeToken;
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln';
    expect(() => decode(JSON.stringify({ token: jwt, sub: 'alice' }))).toThrow(/base64url/);
    expect(() => decode(`${jwt} `)).toThrow(/base64url/);
    expect(decode(jwt)).toEqual({ sub: 'alice' });
  });
});
