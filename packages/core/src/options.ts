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

// Bundlers replace process.env.NODE_ENV (Vite, webpack, esbuild, Rollup); Node has it.
declare const process: { env: { NODE_ENV?: string } };

/** How a number option is bounded: `>=` min, `>` min, or an integer `>=` min. */
type Bound = '>=' | '>' | 'integer';

/**
 * A number option: the fallback when absent; otherwise a finite number within its bounds, or a
 * SessionOptionsError naming it (errors.ts: the text is for development builds).
 */
export function numberOption(
  option: string,
  value: unknown,
  fallback: number,
  min = 0,
  bound: Bound = '>=',
  max = Number.POSITIVE_INFINITY,
  /** The option `min` comes from, named in the message. */
  minFrom?: string,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (bound === '>' && value === min) ||
    (bound === 'integer' && !Number.isInteger(value))
  ) {
    throw new SessionOptionsError(
      option,
      process.env.NODE_ENV !== 'production'
        ? `expected ${bound === 'integer' ? 'an integer >=' : `a finite number ${bound}`} ${minFrom ? `${minFrom} (${min})` : min}${max < Number.POSITIVE_INFINITY ? ` and <= ${max}` : ''}, got ${String(value)}.`
        : '',
    );
  }
  return value;
}

/** A finite number > 0 (or the fallback when absent); throws naming the option otherwise. */
export const positiveNumber = (option: string, value: unknown, fallback: number): number =>
  numberOption(option, value, fallback, 0, '>');

/**
 * Throws a SessionOptionsError naming `option` unless `ok`. Callers write `problem` behind the
 * development check (errors.ts), so production builds keep only the option's name.
 */
function check(option: string, ok: unknown, problem: string): void {
  if (!ok) throw new SessionOptionsError(option, problem);
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

/** An optional object option (absent: `{}`). */
function objectOption<T extends object>(option: string, value: T | undefined): Partial<T> {
  check(
    option,
    value === undefined || isObject(value),
    process.env.NODE_ENV !== 'production' ? 'expected an object.' : '',
  );
  return value ?? {};
}

/** An optional function option. */
function functionOption<F>(option: string, value: F | undefined): F | undefined {
  check(
    option,
    value === undefined || typeof value === 'function',
    process.env.NODE_ENV !== 'production' ? `expected a function, got ${typeof value}.` : '',
  );
  return value;
}

export function resolveReconnect(reconnect: Partial<BackoffOptions> | undefined): BackoffOptions {
  const r = objectOption('reconnect', reconnect);
  const initialDelayMs = numberOption('reconnect.initialDelayMs', r.initialDelayMs, defaultBackoff.initialDelayMs);
  return {
    maxRetries: numberOption('reconnect.maxRetries', r.maxRetries, defaultBackoff.maxRetries, 0, 'integer'),
    initialDelayMs,
    factor: numberOption('reconnect.factor', r.factor, defaultBackoff.factor, 1),
    // Never below initialDelayMs: the cap is a promise about every delay.
    maxDelayMs: numberOption(
      'reconnect.maxDelayMs',
      r.maxDelayMs,
      Math.max(defaultBackoff.maxDelayMs, initialDelayMs),
      initialDelayMs,
      '>=',
      Number.POSITIVE_INFINITY,
      'reconnect.initialDelayMs',
    ),
    jitter: numberOption('reconnect.jitter', r.jitter, defaultBackoff.jitter, 0, '>=', 1),
  };
}

export type Heartbeat = { intervalMs: number; timeoutMs: number } | false;

/** The `heartbeat` option, for the session and for transports that take their own: one parser. */
export function resolveHeartbeat(
  heartbeat: { intervalMs?: number; timeoutMs?: number } | false | undefined,
): Heartbeat {
  if (heartbeat === false) return false;
  check(
    'heartbeat',
    heartbeat === undefined || isObject(heartbeat),
    process.env.NODE_ENV !== 'production' ? 'expected { intervalMs, timeoutMs } or false.' : '',
  );
  return {
    intervalMs: positiveNumber('heartbeat.intervalMs', heartbeat?.intervalMs, 25_000),
    timeoutMs: positiveNumber('heartbeat.timeoutMs', heartbeat?.timeoutMs, 10_000),
  };
}

/** Checked here, eagerly; the code that shares is loaded only when this is on (cross-tab.ts). */
function crossTabOption(value: unknown): CrossTabOptions | null {
  if (value === undefined || value === false) return null;
  const o = (value === true ? {} : value) as CrossTabOptions;
  check(
    'crossTab',
    isObject(o) && (o.name === undefined || (typeof o.name === 'string' && o.name)),
    process.env.NODE_ENV !== 'production' ? 'expected true, false or { name }.' : '',
  );
  return o;
}

const hasFunctions = (value: unknown, names: string[]): boolean =>
  value != null && names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');

export function resolveOptions(options: SessionOptions): ResolvedOptions {
  check(
    'options',
    isObject(options),
    process.env.NODE_ENV !== 'production' ? 'expected an object with a `transport`.' : '',
  );
  const { transport } = options;
  check(
    'transport',
    isObject(transport) && hasFunctions(transport, ['attach']),
    process.env.NODE_ENV !== 'production'
      ? 'expected webSocketTransport(url), simulatedTransport() or an SDK adapter (required).'
      : '',
  );
  check(
    'token',
    options.token === undefined || typeof options.token === 'string',
    process.env.NODE_ENV !== 'production' ? 'expected a JWT string.' : '',
  );
  const clock = options.clock ?? realClock;
  check(
    'clock',
    hasFunctions(clock, ['now', 'setTimeout', 'clearTimeout']),
    process.env.NODE_ENV !== 'production' ? 'expected { now, setTimeout, clearTimeout }.' : '',
  );
  const outbox = objectOption('outbox', options.outbox);
  const notices = objectOption('notices', options.notices);
  const network = options.network ?? browserNetwork;
  check(
    'network',
    hasFunctions(network, ['isOnline', 'subscribe']),
    process.env.NODE_ENV !== 'production' ? 'expected { isOnline, subscribe }.' : '',
  );
  const whenOnline = options.whenOnline === undefined ? 'connect' : options.whenOnline;
  check(
    'whenOnline',
    ['retry', 'connect', 'ignore'].includes(whenOnline),
    process.env.NODE_ENV !== 'production'
      ? `expected one of 'retry', 'connect', 'ignore', got ${String(whenOnline)}.`
      : '',
  );
  return {
    transport,
    token: options.token,
    fetchToken: functionOption('fetchToken', options.fetchToken),
    backoff: Object.freeze(resolveReconnect(options.reconnect)),
    resumeWindowMs: numberOption('resumeWindowMs', options.resumeWindowMs, 300_000),
    refreshLeadMs: numberOption('tokenRefreshLeadMs', options.tokenRefreshLeadMs, 60_000),
    expiringMs: numberOption('tokenExpiringMs', options.tokenExpiringMs, 120_000),
    whenOnline,
    outboxMax: numberOption('outbox.max', outbox.max, 100, 0, 'integer'),
    maxInFlight: numberOption('outbox.maxInFlight', outbox.maxInFlight, 32, 1, 'integer'),
    ackTimeoutMs: positiveNumber('ackTimeoutMs', options.ackTimeoutMs, 10_000),
    fetchTokenTimeoutMs: positiveNumber('fetchTokenTimeoutMs', options.fetchTokenTimeoutMs, 15_000),
    crossTab: crossTabOption(options.crossTab),
    showAfterMs: numberOption('notices.showAfterMs', notices.showAfterMs, 1000),
    reconnectedMs: positiveNumber('notices.reconnectedMs', notices.reconnectedMs, 3000),
    heartbeat: resolveHeartbeat(options.heartbeat),
    clock,
    network,
    random: functionOption('random', options.random) ?? Math.random,
  };
}
