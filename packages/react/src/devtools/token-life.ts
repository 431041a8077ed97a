/**
 * The token's life on one line: from when it started (its JWT `iat` when known, else when the
 * devtools first saw this expiry) through the engine's proactive refresh (as core reports it)
 * and the "expiring" threshold to its expiry. Pure, so the bar's geometry is tested on its own.
 */

export interface TokenLifeInput {
  /** Start of the token's life (epoch ms). */
  startMs: number;
  /** Whether `startMs` is the token's `iat` or only when it was first seen. */
  startKind: 'issued' | 'seen';
  expiresAtMs: number;
  nowMs: number;
  /** When the engine refreshes it (`session.debug.token().refreshAt`); null: it does not (no fetchToken). */
  refreshAtMs: number | null;
  /** The session's tokenExpiringMs (default 120000). */
  expiringMs: number;
}

export interface TokenLifeMarker {
  kind: 'start' | 'refresh' | 'expiring' | 'expiry' | 'now';
  atMs: number;
  /** Position on the bar, 0..100. */
  percent: number;
}

export interface TokenLife {
  markers: TokenLifeMarker[];
  /** How much of the token's life has passed, 0..100. */
  elapsedPercent: number;
}

export function tokenLife(input: TokenLifeInput): TokenLife {
  const { startMs, expiresAtMs, nowMs } = input;
  const span = Math.max(1, expiresAtMs - startMs);
  const percent = (atMs: number) => Math.min(100, Math.max(0, ((atMs - startMs) / span) * 100));
  const at = (kind: TokenLifeMarker['kind'], atMs: number): TokenLifeMarker => ({
    kind,
    atMs,
    percent: percent(atMs),
  });
  const markers = [at('start', startMs)];
  if (input.refreshAtMs !== null) markers.push(at('refresh', input.refreshAtMs));
  const expiringAt = expiresAtMs - input.expiringMs;
  if (expiringAt > startMs) markers.push(at('expiring', expiringAt));
  markers.push(at('expiry', expiresAtMs), at('now', nowMs));
  return { markers, elapsedPercent: percent(nowMs) };
}
