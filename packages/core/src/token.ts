/**
 * Token timing. The engine only *decodes* the JWT (never verifies: that is the server's job) to
 * learn `exp`, so it can warn before expiry, refresh proactively and avoid retrying with a dead token.
 */
import { SessionError } from './errors.js';

/** Declared here, not from @types/node (core also runs in browsers, where a page without a bundler defines it: errors.ts). */
// Bundlers replace process.env.NODE_ENV (Vite, webpack, esbuild, Rollup); Node has it.
declare const process: { env: { NODE_ENV?: string } };

export type TokenStatus = 'none' | 'valid' | 'expiring' | 'refreshing' | 'expired';

export interface TokenClaims {
  /** Seconds since the epoch, as in the JWT. */
  exp?: number;
  iat?: number;
  sub?: string;
}

function base64UrlDecode(segment: string): string {
  // atob (browsers, Node >= 16) takes unpadded base64; TextDecoder turns the bytes into UTF-8 text.
  const binary = atob(segment.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** Every failure here is one fact for a program, `not_a_jwt` (errors.ts); the texts say which part. */
const invalid = (problem: string, cause?: unknown) =>
  new SessionError('error:client:token_invalid', problem, cause, { reason: 'not_a_jwt' });

/** Decode (not verify) a compact JWT. Throws `error:client:token_invalid` for anything else. */
export function decodeToken(token: unknown): TokenClaims {
  if (typeof token !== 'string' || token.length === 0) {
    throw invalid(process.env.NODE_ENV !== 'production' ? 'Token must be a non-empty string (a JWT).' : '');
  }
  // Three base64url parts: anything else (such as the JSON a token endpoint wraps a token in)
  // is refused here, with a reason, instead of by the server.
  if (!/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) {
    throw invalid(
      process.env.NODE_ENV !== 'production' ? 'Token is not a JWT (three dot-separated base64url parts).' : '',
    );
  }
  const payload = token.split('.')[1] as string;
  let claims: unknown;
  try {
    claims = JSON.parse(base64UrlDecode(payload));
  } catch (cause) {
    throw invalid(process.env.NODE_ENV !== 'production' ? 'Token payload is not base64url-encoded JSON.' : '', cause);
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw invalid(process.env.NODE_ENV !== 'production' ? 'Token payload is not a JSON object.' : '');
  }
  const { exp, iat, sub } = claims as Record<string, unknown>;
  if (exp !== undefined && (typeof exp !== 'number' || !Number.isFinite(exp))) {
    throw invalid(process.env.NODE_ENV !== 'production' ? 'Token `exp` claim is not a number.' : '');
  }
  return {
    ...(typeof exp === 'number' ? { exp } : {}),
    ...(typeof iat === 'number' ? { iat } : {}),
    ...(typeof sub === 'string' ? { sub } : {}),
  };
}

/** `exp` in epoch ms, or null for a token without one. */
export function expiryMs(claims: TokenClaims): number | null {
  return claims.exp === undefined ? null : claims.exp * 1000;
}

/** Token status at `nowMs` for a token expiring at `expiresAtMs` (null: unknown expiry). */
export function tokenStatusAt(nowMs: number, expiresAtMs: number | null, expiringMs: number): TokenStatus {
  if (expiresAtMs === null) return 'valid';
  if (nowMs >= expiresAtMs) return 'expired';
  if (nowMs >= expiresAtMs - expiringMs) return 'expiring';
  return 'valid';
}

/**
 * When to refresh proactively: `leadMs` before expiry, but never earlier than half-way through
 * the token's life, so a 60 s token with a 60 s lead is not refreshed the moment it arrives.
 */
export function refreshAtMs(receivedAtMs: number, expiresAtMs: number, leadMs: number): number {
  const lifetimeMs = Math.max(0, expiresAtMs - receivedAtMs);
  return expiresAtMs - Math.min(leadMs, lifetimeMs / 2);
}

/**
 * For adapters that must tell a real expiry from an SDK's "TokenExpired" after any server
 * disconnect: true while the token decodes and its `exp` (if any) is still ahead of `nowMs`.
 */
export function tokenStillValid(token: string | null, nowMs: number): boolean {
  if (!token) return false;
  try {
    const expMs = expiryMs(decodeToken(token));
    return expMs === null || expMs > nowMs;
  } catch {
    return false;
  }
}

/**
 * Local-clock expiry of a token. The server's clock decides (`offsetMs` = server − local, known
 * after the first `session:success`); before that, a token with `iat` is assumed to live its own
 * lifetime from when we received it, which no device clock skew can shorten (a clock ahead by more
 * than the lifetime would otherwise see every fresh token as dead and refresh in a loop).
 */
export function localExpiryMs(claims: TokenClaims, receivedAtMs: number, offsetMs: number | null): number | null {
  if (claims.exp === undefined) return null;
  if (offsetMs !== null) return claims.exp * 1000 - offsetMs;
  if (claims.iat !== undefined) return receivedAtMs + Math.max(0, claims.exp - claims.iat) * 1000;
  return claims.exp * 1000;
}
