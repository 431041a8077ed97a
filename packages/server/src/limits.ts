/**
 * Every limit the server enforces, with its default and its rule, in one place. The server
 * announces the message limits in `session:success`; the CLI has a flag for each (cli-flags.ts).
 */
import { defaultLimits } from '@nexmo-session/core/protocol';

export interface ServerLimits {
  /** Largest frame read (bytes); a larger one closes the connection with 1009. */
  maxFrameBytes: number;
  /** App messages per second per connection (announced); beyond it: `message:nack` rate_limited. */
  messagesPerSecond: number;
  /** App messages a connection may send at once (announced). */
  messageBurst: number;
  /**
   * A flood is this many times the message limits, counted over every frame: past it the
   * connection is closed 4429 after a `session:error` carrying `retryAfterMs`.
   */
  floodFactor: number;
  /** Failed logins (bad or expired tokens) per second per remote address. */
  failedLoginsPerSecond: number;
  failedLoginBurst: number;
  /** Valid logins that start a new session, per second per user (`sub`). Resumes are free. */
  userLoginsPerSecond: number;
  userLoginBurst: number;
  /** Sessions one user may hold; a new one past it ends that user's oldest (close 4409). */
  maxSessionsPerUser: number;
  /** Replay buffer per session: bytes of serialized events (body + 64 each). */
  replayMaxBytes: number;
  /** Replay buffer per session: events. */
  replayMaxEvents: number;
  /** Message ids remembered per session to acknowledge resends without repeating them. */
  maxRememberedMids: number;
  /**
   * Bytes queued on one socket before the server stops writing events to it and stops reading
   * from it until it drains (a slow consumer cannot grow server memory).
   */
  sendBufferBytes: number;
  /** A session outlives its socket this long. */
  resumeWindowMs: number;
  /** `session:login` must arrive within this. */
  loginTimeoutMs: number;
}

interface LimitRule {
  readonly default: number;
  readonly integer: boolean;
  /** Smallest accepted value. */
  readonly min: number;
  readonly max?: number;
}

const MiB = 1024 * 1024;

export const limitRules: { readonly [K in keyof ServerLimits]: LimitRule } = {
  maxFrameBytes: { default: defaultLimits.maxFrameBytes, integer: true, min: 1024, max: 64 * MiB },
  messagesPerSecond: { default: defaultLimits.messagesPerSecond, integer: false, min: 0.001 },
  messageBurst: { default: defaultLimits.burst, integer: true, min: 1 },
  floodFactor: { default: 10, integer: false, min: 1 },
  failedLoginsPerSecond: { default: 1, integer: false, min: 0.001 },
  failedLoginBurst: { default: 20, integer: true, min: 1 },
  userLoginsPerSecond: { default: 1, integer: false, min: 0.001 },
  userLoginBurst: { default: 10, integer: true, min: 1 },
  maxSessionsPerUser: { default: 20, integer: true, min: 1 },
  replayMaxBytes: { default: MiB, integer: true, min: 1024 },
  replayMaxEvents: { default: 10_000, integer: true, min: 1 },
  maxRememberedMids: { default: 10_000, integer: true, min: 1 },
  sendBufferBytes: { default: MiB, integer: true, min: 1024 },
  resumeWindowMs: { default: 300_000, integer: true, min: 0, max: 2 ** 31 - 1 },
  loginTimeoutMs: { default: 5000, integer: true, min: 1, max: 2 ** 31 - 1 },
};

export const limitNames = Object.keys(limitRules) as (keyof ServerLimits)[];

export const defaultServerLimits: Readonly<ServerLimits> = Object.freeze(
  Object.fromEntries(limitNames.map((k) => [k, limitRules[k].default])) as unknown as ServerLimits,
);

/** What is wrong with `value` for limit `name`, or null when it is acceptable. */
export function limitProblem(name: keyof ServerLimits, value: unknown): string | null {
  const rule = limitRules[name];
  const range = rule.max === undefined ? `>= ${rule.min}` : `${rule.min}..${rule.max}`;
  const kind = rule.integer ? 'an integer' : 'a number';
  if (typeof value !== 'number' || !Number.isFinite(value)) return `must be ${kind} ${range}`;
  if (rule.integer && !Number.isInteger(value)) return `must be ${kind} ${range}`;
  if (value < rule.min || (rule.max !== undefined && value > rule.max)) return `must be ${kind} ${range}`;
  return null;
}

/** Defaults overlaid with `given`; throws a TypeError naming the first bad option. */
export function resolveLimits(given: Partial<ServerLimits>): ServerLimits {
  const limits = { ...defaultServerLimits };
  for (const name of limitNames) {
    const value = given[name];
    if (value === undefined) continue;
    const problem = limitProblem(name, value);
    if (problem) throw new TypeError(`Invalid option \`${name}\`: ${problem} (got ${String(value)}).`);
    limits[name] = value;
  }
  return limits;
}

/** Bytes an event counts against `replayMaxBytes` besides its body: its frame and bookkeeping. */
export const eventOverheadBytes = 64;
