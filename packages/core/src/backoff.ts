/**
 * The retry schedule, in one pure module. Every transport that runs its own retry loop
 * (WebSocket, simulated) asks this module for delays, so `nextRetryAt` is exact.
 *
 * attempt n (1-based) waits initialDelayMs × factor^(n−1), capped at maxDelayMs, then jitter
 * subtracts up to `jitter` of it (never adds: a cap is a promise to the user).
 * Defaults give 1 s, 2 s, 4 s, 8 s, 16 s: attempts at 1, 3, 7, 15 and 31 s after the loss.
 */
export interface BackoffOptions {
  maxRetries: number;
  initialDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** 0..1: fraction of each delay that may be randomly removed, to spread a fleet's retries. */
  jitter: number;
}

export const defaultBackoff: Readonly<BackoffOptions> = Object.freeze({
  maxRetries: 5,
  initialDelayMs: 1000,
  factor: 2,
  maxDelayMs: 16000,
  jitter: 0,
});

/** Delay before attempt `attempt` (1-based). `random` returns [0, 1); only used when jitter > 0. */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** Math.max(0, attempt - 1));
  if (options.jitter === 0) return base;
  return Math.round(base * (1 - options.jitter * random()));
}

/** The whole schedule, for docs, UIs and tests: delays of attempts 1..maxRetries. */
export function backoffScheduleMs(options: BackoffOptions): number[] {
  return Array.from({ length: options.maxRetries }, (_, i) => backoffDelayMs(i + 1, { ...options, jitter: 0 }));
}
