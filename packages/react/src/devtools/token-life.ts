/**
 * The token's life on one line: from when it started (its JWT `iat` when known, else when the
 * devtools first saw this expiry) through the proactive refresh and the "expiring" threshold to
 * its expiry. Pure, so the bar's geometry is tested on its own.
 */

export interface TokenLifeInput {
  /** Start of the token's life (epoch ms). */
  startMs: number;
  /** Whether `startMs` is the token's `iat` or only when it was first seen. */
  startKind: 'issued' | 'seen';
  expiresAtMs: number;
  nowMs: number;
  /** True when the session can refresh by itself (it has `fetchToken`). */
  canRefresh: boolean;
  /** The session's tokenRefreshLeadMs (default 60000). */
  refreshLeadMs: number;
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

/**
 * The engine refreshes `leadMs` before expiry but never before half-way through the token's life
 * (the same rule as core's token module; core does not export it).
 */
export function refreshAtMs(startMs: number, expiresAtMs: number, leadMs: number): number {
  const lifetimeMs = Math.max(0, expiresAtMs - startMs);
  return expiresAtMs - Math.min(leadMs, lifetimeMs / 2);
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
  if (input.canRefresh) markers.push(at('refresh', refreshAtMs(startMs, expiresAtMs, input.refreshLeadMs)));
  const expiringAt = expiresAtMs - input.expiringMs;
  if (expiringAt > startMs) markers.push(at('expiring', expiringAt));
  markers.push(at('expiry', expiresAtMs), at('now', nowMs));
  return { markers, elapsedPercent: percent(nowMs) };
}
