/** createSession options (design §2.3): defaults, and validation that names the bad option. */
import type { BackoffOptions } from './backoff.js';
import { defaultBackoff } from './backoff.js';
import type { Clock } from './clock.js';
import { realClock } from './clock.js';
import type { CrossTabOptions } from './cross-tab.js';
import { SessionOptionsError } from './errors.js';
import type { NetworkSource } from './network.js';
import { browserNetwork } from './network.js';
import type { Transport } from './transport/types.js';

/**
 * 'connect': an `online` event or the page becoming visible starts an attempt now, while
 * reconnecting and also after failure inside the resume window. 'retry': only while reconnecting.
 * 'ignore': neither (offline still pauses the schedule).
 */
export type WhenOnline = 'retry' | 'connect' | 'ignore';

export interface SessionOptions {
  transport: Transport;
  /** Initial token; `login()` may also take one. */
  token?: string;
  /** Enables login without a token, proactive refresh and automatic TOKEN_EXPIRED recovery. */
  fetchToken?: () => Promise<string>;
  reconnect?: Partial<BackoffOptions>;
  resumeWindowMs?: number;
  tokenRefreshLeadMs?: number;
  tokenExpiringMs?: number;
  /** What an `online` event (or the page becoming visible) does: see WhenOnline. Default 'connect'. */
  whenOnline?: WhenOnline;
  /**
   * max: messages that may wait while not connected (default 100). maxInFlight: unacknowledged
   * messages on the wire at once (default 32); the rest wait their turn, in order.
   */
  outbox?: { max?: number; maxInFlight?: number };
  /** A message unacknowledged this long on a live socket makes the engine probe it. Default 10000. */
  ackTimeoutMs?: number;
  /** A fetchToken() call that has not settled by then counts as failed. Default 15000. */
  fetchTokenTimeoutMs?: number;
  /**
   * Share token fetches and sign-out with this user's other tabs (same origin; Web Locks and
   * BroadcastChannel). Each tab keeps its own socket. `name` keeps apps on one origin apart.
   */
  crossTab?: boolean | CrossTabOptions;
  /**
   * Outage notices (store `notice`): an outage shows after showAfterMs (default 1000; blips shorter
   * than that never show); "reconnected" stays reconnectedMs (default 3000).
   */
  notices?: { showAfterMs?: number; reconnectedMs?: number };
  /** Dead-connection detection for transports that do it (WebSocket). `false` turns it off. */
  heartbeat?: { intervalMs?: number; timeoutMs?: number } | false;
  clock?: Clock;
  network?: NetworkSource;
  /** Random source in [0, 1) for jitter; a seam for deterministic tests. */
  random?: () => number;
}

export interface ResolvedOptions {
  transport: Transport;
  token: string | undefined;
  fetchToken: (() => Promise<string>) | undefined;
  /** The `reconnect` option (the token manager retries fetches on the same schedule). */
  backoff: Readonly<BackoffOptions>;
  resumeWindowMs: number;
  /** tokenRefreshLeadMs and tokenExpiringMs, named as the token manager takes them. */
  refreshLeadMs: number;
  expiringMs: number;
  whenOnline: WhenOnline;
  outboxMax: number;
  maxInFlight: number;
  ackTimeoutMs: number;
  fetchTokenTimeoutMs: number;
  crossTab: CrossTabOptions | null;
  showAfterMs: number;
  reconnectedMs: number;
  heartbeat: Heartbeat;
  clock: Clock;
  network: NetworkSource;
  random: () => number;
}

function nonNegative(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new SessionOptionsError(option, `expected a finite number >= 0, got ${String(value)}.`);
  }
  return value;
}

function integerAtLeast(option: string, value: unknown, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new SessionOptionsError(option, `expected an integer >= ${min}, got ${String(value)}.`);
  }
  return value;
}

function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    throw new SessionOptionsError(
      option,
      `expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${String(value)}.`,
    );
  }
  return value as T;
}

function objectOrUndefined<T extends object>(option: string, value: unknown): T | undefined {
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw new SessionOptionsError(option, 'expected an object.');
  }
  return value as T | undefined;
}

function functionOrUndefined<F>(option: string, value: unknown): F | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new SessionOptionsError(option, `expected a function, got ${typeof value}.`);
  }
  return value as F | undefined;
}

export function resolveReconnect(reconnect: Partial<BackoffOptions> | undefined): BackoffOptions {
  if (reconnect !== undefined && (typeof reconnect !== 'object' || reconnect === null)) {
    throw new SessionOptionsError('reconnect', 'expected an object.');
  }
  const r = reconnect ?? {};
  const initialDelayMs = nonNegative('reconnect.initialDelayMs', r.initialDelayMs, defaultBackoff.initialDelayMs);
  const maxDelayMs = nonNegative(
    'reconnect.maxDelayMs',
    r.maxDelayMs,
    Math.max(defaultBackoff.maxDelayMs, initialDelayMs),
  );
  if (maxDelayMs < initialDelayMs) {
    throw new SessionOptionsError('reconnect.maxDelayMs', `must be >= reconnect.initialDelayMs (${initialDelayMs}).`);
  }
  const factor = r.factor === undefined ? defaultBackoff.factor : r.factor;
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 1) {
    throw new SessionOptionsError('reconnect.factor', `expected a finite number >= 1, got ${String(factor)}.`);
  }
  const jitter = nonNegative('reconnect.jitter', r.jitter, defaultBackoff.jitter);
  if (jitter > 1) throw new SessionOptionsError('reconnect.jitter', `expected a fraction in 0..1, got ${jitter}.`);
  return {
    maxRetries: integerAtLeast('reconnect.maxRetries', r.maxRetries, 0, defaultBackoff.maxRetries),
    initialDelayMs,
    factor,
    maxDelayMs,
    jitter,
  };
}

/** A finite number > 0 (or the fallback when absent); throws naming the option otherwise. */
export function positiveNumber(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SessionOptionsError(option, `expected a finite number > 0, got ${String(value)}.`);
  }
  return value;
}

export type Heartbeat = { intervalMs: number; timeoutMs: number } | false;

/** The `heartbeat` option, for the session and for transports that take their own: one parser. */
export function resolveHeartbeat(
  heartbeat: { intervalMs?: number; timeoutMs?: number } | false | undefined,
): Heartbeat {
  if (heartbeat === false) return false;
  if (heartbeat !== undefined && (typeof heartbeat !== 'object' || heartbeat === null)) {
    throw new SessionOptionsError('heartbeat', 'expected { intervalMs, timeoutMs } or false.');
  }
  return {
    intervalMs: positiveNumber('heartbeat.intervalMs', heartbeat?.intervalMs, 25_000),
    timeoutMs: positiveNumber('heartbeat.timeoutMs', heartbeat?.timeoutMs, 10_000),
  };
}

/** Checked here, eagerly; the code that shares is loaded only when this is on (cross-tab.ts). */
function crossTabOption(value: unknown): CrossTabOptions | null {
  if (value === undefined || value === false) return null;
  const o = (value === true ? {} : value) as CrossTabOptions;
  if (typeof o !== 'object' || o === null || (o.name !== undefined && (typeof o.name !== 'string' || !o.name))) {
    throw new SessionOptionsError('crossTab', 'expected true, false or { name }.');
  }
  return o;
}

export function resolveOptions(options: SessionOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new SessionOptionsError('options', 'expected an object with a `transport`.');
  }
  const { transport } = options;
  if (!transport || typeof transport !== 'object' || typeof transport.attach !== 'function') {
    throw new SessionOptionsError(
      'transport',
      'required: webSocketTransport(url), simulatedTransport() or an SDK adapter.',
    );
  }
  if (options.token !== undefined && typeof options.token !== 'string') {
    throw new SessionOptionsError('token', 'expected a JWT string.');
  }
  const clock = options.clock ?? realClock;
  if (
    typeof clock.now !== 'function' ||
    typeof clock.setTimeout !== 'function' ||
    typeof clock.clearTimeout !== 'function'
  ) {
    throw new SessionOptionsError('clock', 'expected { now, setTimeout, clearTimeout }.');
  }
  const outbox = objectOrUndefined<NonNullable<SessionOptions['outbox']>>('outbox', options.outbox);
  const notices = objectOrUndefined<NonNullable<SessionOptions['notices']>>('notices', options.notices);
  const network = options.network ?? browserNetwork;
  if (typeof network.isOnline !== 'function' || typeof network.subscribe !== 'function') {
    throw new SessionOptionsError('network', 'expected { isOnline, subscribe }.');
  }
  return {
    transport,
    token: options.token,
    fetchToken: functionOrUndefined('fetchToken', options.fetchToken),
    backoff: Object.freeze(resolveReconnect(options.reconnect)),
    resumeWindowMs: nonNegative('resumeWindowMs', options.resumeWindowMs, 300_000),
    refreshLeadMs: nonNegative('tokenRefreshLeadMs', options.tokenRefreshLeadMs, 60_000),
    expiringMs: nonNegative('tokenExpiringMs', options.tokenExpiringMs, 120_000),
    whenOnline: oneOf('whenOnline', options.whenOnline, ['retry', 'connect', 'ignore'] as const, 'connect'),
    outboxMax: integerAtLeast('outbox.max', outbox?.max, 0, 100),
    maxInFlight: integerAtLeast('outbox.maxInFlight', outbox?.maxInFlight, 1, 32),
    ackTimeoutMs: positiveNumber('ackTimeoutMs', options.ackTimeoutMs, 10_000),
    fetchTokenTimeoutMs: positiveNumber('fetchTokenTimeoutMs', options.fetchTokenTimeoutMs, 15_000),
    crossTab: crossTabOption(options.crossTab),
    showAfterMs: nonNegative('notices.showAfterMs', notices?.showAfterMs, 1000),
    reconnectedMs: positiveNumber('notices.reconnectedMs', notices?.reconnectedMs, 3000),
    heartbeat: resolveHeartbeat(options.heartbeat),
    clock,
    network,
    random: functionOrUndefined<() => number>('random', options.random) ?? Math.random,
  };
}
