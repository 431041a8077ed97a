/**
 * Several tabs of one origin and one user (option `crossTab`): one token fetch and one sign-out
 * for all of them. The tab holding a Web Lock fetches; the others receive its token over a
 * BroadcastChannel and use it as if they had fetched it. Each tab keeps its own socket and session.
 *
 * Lock and channel are named after the user the server accepted (the token's `sub`) and `name`,
 * and every token received is decoded and checked against that user again, so a token never
 * reaches another user's tabs. A tab that logs out (or in as someone else) leaves the channel
 * first; a new channel object never sees messages posted before it existed.
 *
 * The token manager loads this file with a dynamic import, only when the option is on, so apps
 * without it never download it.
 */
import type { Clock } from './clock.js';
import { decodeToken } from './token.js';
import type { TokenManagerHost } from './token-manager.js';

/** The part of `navigator.locks` used here. */
export interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

export interface BroadcastChannelLike {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

export type BroadcastChannelConstructor = new (name: string) => BroadcastChannelLike;

export interface CrossTabOptions {
  /** Sessions with different names never share, even for one user (two apps on one origin). Default 'default'. */
  name?: string;
  /** Seam for tests; default `navigator.locks`. */
  locks?: LockManagerLike;
  /** Seam for tests; default the global `BroadcastChannel`. */
  BroadcastChannel?: BroadcastChannelConstructor;
}

/** What the coordinator uses of the token manager (token-manager.ts). */
export interface CrossTabTokens {
  /** The token in use. */
  forAttempt(): string | null;
  isRefused(token: string): boolean;
  /** Use a token another tab fetched, as if this one had (and drop a retry of its own failed fetch). */
  received(token: string): Promise<void>;
}

interface Parts {
  key: string;
  locks: LockManagerLike;
  Channel: BroadcastChannelConstructor;
  clock: Clock;
  tokens: CrossTabTokens;
  host: Pick<TokenManagerHost, 'ready' | 'signedOut'>;
}

/**
 * The lock can reach the next tab before the token its holder shared just before letting go (they
 * travel separately): a tab that gets the lock waits this long for such a token before it fetches.
 */
export const crossTabAskMs = 100;

// Bundlers replace process.env.NODE_ENV (Vite, webpack, esbuild, Rollup); Node has it.
declare const process: { env: { NODE_ENV?: string } };
let warned = false;

/** null where this environment cannot share (SSR, Node, old browsers): then a warning, once, in development. */
export function createCrossTab(
  options: CrossTabOptions,
  clock: Clock,
  tokens: CrossTabTokens,
  host: Parts['host'],
): CrossTab | null {
  // biome-ignore lint/style/noRestrictedGlobals: this file is the seam for Web Locks
  const locks = options.locks ?? (typeof navigator === 'undefined' ? undefined : navigator.locks);
  const Channel = options.BroadcastChannel ?? (globalThis.BroadcastChannel as BroadcastChannelConstructor | undefined);
  const key = `nexmo-session:${options.name ?? 'default'}`;
  if (locks && Channel) return new CrossTab({ key, locks, Channel, clock, tokens, host });
  if (!warned && process.env.NODE_ENV !== 'production') {
    warned = true;
    console.warn(
      '[nexmo-session] crossTab is off: this environment has no Web Locks or BroadcastChannel ' +
        '(server rendering, Node or an old browser). Each tab fetches its own tokens and signs out alone.',
    );
  }
  return null;
}

type Message = { type: 'token'; token: string } | { type: 'logout' };

const noop = () => {};

export class CrossTab {
  readonly #o: Parts;
  #channel: BroadcastChannelLike | null = null;
  #user: string | null = null;
  #key = '';
  /** Our fetch in progress (waiting for the lock, a shared token or fetchToken): a shared token settles it. */
  #wait: { take(token: string): void; fail(err: unknown): void } | null = null;

  constructor(parts: Parts) {
    this.#o = parts;
  }

  /** The server accepted a token of `user`: share with that user's tabs from now on. */
  join(user: string): void {
    if (user === this.#user) return;
    this.leave();
    this.#user = user;
    this.#key = `${this.#o.key}:${user}`;
    this.#channel = new this.#o.Channel(this.#key);
    this.#channel.onmessage = (event) => this.#received(event.data as Message);
    // Newest token wins: tabs with an older one take ours; a tab with a newer one answers.
    const mine = this.#o.tokens.forAttempt();
    if (mine) this.#share(mine);
  }

  /** Logout, destroy, a new login: stop sharing; a fetch waiting here is dropped. */
  leave(): void {
    this.cancel();
    this.#channel?.close();
    this.#channel = null;
    this.#user = null;
  }

  /** Tell every tab of this user to log out. */
  signOut(): void {
    this.#channel?.postMessage({ type: 'logout' } satisfies Message);
  }

  /** The fetch's deadline passed: let go of the lock (or stop waiting for it). */
  cancel(): void {
    this.#wait?.fail(new Error('cancelled'));
  }

  /** Post `token`, never one of another user. */
  #share(token: string): void {
    if (this.#exp(token) !== null) this.#channel?.postMessage({ type: 'token', token } satisfies Message);
  }

  /** `exp` of a token of this tab's user; null for anything else. */
  #exp(token: unknown): number | null {
    try {
      const claims = decodeToken(token);
      return claims.sub === this.#user ? (claims.exp ?? null) : null;
    } catch {
      return null;
    }
  }

  #received(message: Message): void {
    if (message?.type === 'logout') {
      this.leave();
      this.#o.host.signedOut();
      return;
    }
    if (message?.type !== 'token') return;
    const { token } = message;
    const theirs = this.#exp(token); // null: another user's, or no JWT
    if (theirs === null) return;
    const mine = this.#o.tokens.forAttempt();
    const ours = this.#exp(mine) ?? 0;
    if (theirs > ours && !this.#o.tokens.isRefused(token)) {
      if (this.#wait) this.#wait.take(token);
      // As if this tab had fetched it: over the live socket, else for the next attempt (and a
      // session waiting in TOKEN_EXPIRED reconnects with it). Refused: the last accepted one stays.
      else this.#o.tokens.received(token).then(() => this.#o.host.ready('recover'), noop);
    } else if (mine && ours > theirs) this.#share(mine);
  }

  /** A token for this user: fetched while holding the lock, or shared by the tab that holds it. */
  fetch(fetchToken: () => Promise<string>): Promise<string> {
    if (!this.#channel) return fetchToken();
    this.cancel();
    const stop = new AbortController();
    const solo = () => Promise.resolve().then(fetchToken);
    return new Promise<string>((resolve, reject) => {
      const finish = (settle: () => void) => {
        if (this.#wait !== wait) return;
        this.#wait = null;
        stop.abort();
        settle();
      };
      const wait = {
        take: (token: string) => finish(() => resolve(token)),
        fail: (err: unknown) => finish(() => reject(err)),
      };
      this.#wait = wait;
      const held = () =>
        new Promise<void>((release) => {
          if (stop.signal.aborted) return release();
          const timer = this.#o.clock.setTimeout(() => {
            solo().then((token) => {
              if (this.#wait === wait) this.#share(token);
              wait.take(token);
            }, wait.fail);
          }, crossTabAskMs);
          // Settled (our fetch, a shared token, the deadline, leave): the lock goes to the next tab.
          stop.signal.addEventListener('abort', () => {
            this.#o.clock.clearTimeout(timer);
            release();
          });
        });
      // A tab that closes while it holds the lock loses it, and the next one in line fetches.
      // A lock manager that refuses (an opaque origin) leaves this tab to fetch alone.
      this.#o.locks.request(this.#key, { signal: stop.signal }, held).catch(() => {
        if (!stop.signal.aborted) solo().then(wait.take, wait.fail);
      });
    });
  }
}
