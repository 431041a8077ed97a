/**
 * Several tabs of one origin and one user (option `crossTab`): one token fetch and one sign-out
 * for all of them. The tab holding a Web Lock fetches; the others receive its token over a
 * BroadcastChannel and use it as if they had fetched it. Each tab keeps its own socket and session.
 *
 * Lock and channel are named after the user the server accepted (the token's `sub`) and `name`,
 * and every token received is decoded and checked against that user again, so a token never
 * reaches another user's tabs. A tab that logs out (or in as someone else) leaves the channel
 * first; a new channel object never sees messages posted before it existed.
 */
import type { Clock } from './clock.js';
import { TimerGroup } from './clock.js';
import { SessionOptionsError } from './errors.js';
import { decodeToken } from './token.js';

/** The part of `navigator.locks` used here. */
export interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

export interface BroadcastChannelLike {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

export interface CrossTabOptions {
  /** Sessions with different names never share, even for one user (two apps on one origin). Default 'default'. */
  name?: string;
  /** Seam for tests; default `navigator.locks`. */
  locks?: LockManagerLike;
  /** Seam for tests; default the global `BroadcastChannel`. */
  BroadcastChannel?: new (
    name: string,
  ) => BroadcastChannelLike;
}

export type ResolvedCrossTab = Required<CrossTabOptions>;

/** What the coordinator asks of the token manager. */
export interface CrossTabHost {
  /** The token in use. */
  mine(): string | null;
  /** False for a token this tab must not take: one the server refused, or one already expired. */
  usable(token: string): boolean;
  /** A newer token from another tab while none of our fetches waits for it: use it as if fetched. */
  adopt(token: string): void;
  /** Another tab of this user signed out. */
  signedOut(): void;
}

/**
 * The lock can reach the next tab before the token its holder shared just before letting go (they
 * travel separately): a tab that gets the lock waits this long for such a token before it fetches.
 */
export const crossTabAskMs = 100;

declare const process: { env: { NODE_ENV?: string } } | undefined;
let warned = false;

/** The `crossTab` option, validated; null when off or when this environment cannot share (warned once). */
export function resolveCrossTab(value: unknown): ResolvedCrossTab | null {
  if (value === undefined || value === false) return null;
  const o = (value === true ? {} : value) as CrossTabOptions;
  if (
    typeof o !== 'object' ||
    o === null ||
    (o.name !== undefined && (typeof o.name !== 'string' || o.name === '')) ||
    (o.locks !== undefined && typeof o.locks?.request !== 'function') ||
    (o.BroadcastChannel !== undefined && typeof o.BroadcastChannel !== 'function')
  ) {
    throw new SessionOptionsError('crossTab', 'expected true, false or { name: non-empty string }.');
  }
  // biome-ignore lint/style/noRestrictedGlobals: this file is the seam for Web Locks
  const locks = o.locks ?? (typeof navigator === 'undefined' ? undefined : navigator.locks);
  const Channel =
    o.BroadcastChannel ?? (globalThis.BroadcastChannel as ResolvedCrossTab['BroadcastChannel'] | undefined);
  if (!locks || !Channel) {
    if (!warned && typeof process !== 'undefined' && process.env.NODE_ENV !== 'production') {
      warned = true;
      console.warn(
        '[nexmo-session] crossTab is off: this environment has no Web Locks or BroadcastChannel ' +
          '(server rendering, Node or an old browser). Each tab fetches its own tokens and signs out alone.',
      );
    }
    return null;
  }
  return { name: o.name ?? 'default', locks, BroadcastChannel: Channel };
}

type Message = { type: 'token'; token: string } | { type: 'logout' };

export class CrossTab {
  readonly #o: ResolvedCrossTab;
  readonly #host: CrossTabHost;
  readonly #timers: TimerGroup;
  #channel: BroadcastChannelLike | null = null;
  #user: string | null = null;
  /** Our fetch in progress (waiting for the lock, an answer or fetchToken): a shared token settles it. */
  #wait: { take(token: string): void; fail(err: unknown): void } | null = null;

  constructor(options: ResolvedCrossTab, clock: Clock, host: CrossTabHost) {
    this.#o = options;
    this.#host = host;
    this.#timers = new TimerGroup(clock);
  }

  #key(): string {
    return `nexmo-session:${this.#o.name}:${this.#user}`;
  }

  /** The server accepted a token of `user`: share with that user's tabs from now on. */
  join(user: string): void {
    if (user === this.#user) return;
    this.leave();
    this.#user = user;
    this.#channel = new this.#o.BroadcastChannel(this.#key());
    this.#channel.onmessage = (event) => this.#received(event.data as Message);
    // Newest token wins: tabs with an older one take ours; a tab with a newer one answers.
    const mine = this.#host.mine();
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
    this.#post({ type: 'logout' });
  }

  /** The fetch's deadline passed: let go of the lock (or stop waiting for it). */
  cancel(): void {
    this.#wait?.fail(new Error('cancelled'));
  }

  #post(message: Message): void {
    this.#channel?.postMessage(message);
  }

  /** Post `token`, never one of another user. */
  #share(token: string): void {
    if (this.#exp(token) !== null) this.#post({ type: 'token', token });
  }

  /** `exp` of a token of this tab's user; null for anything else. */
  #exp(token: string | undefined): number | null {
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
      this.#host.signedOut();
      return;
    }
    if (message?.type !== 'token') return;
    const { token } = message;
    const theirs = this.#exp(token); // null: another user's, or no JWT
    if (theirs === null) return;
    const mine = this.#host.mine();
    const ours = this.#exp(mine ?? undefined) ?? 0;
    if (theirs > ours && this.#host.usable(token)) {
      if (this.#wait) this.#wait.take(token);
      else this.#host.adopt(token);
    } else if (mine && ours > theirs) this.#share(mine);
  }

  /** A token for this user: fetched while holding the lock, or shared by the tab that holds it. */
  fetch(fetchToken: () => Promise<string>): Promise<string> {
    if (!this.#channel) return fetchToken();
    this.cancel();
    const stop = new AbortController();
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
          const timer = this.#timers.after(crossTabAskMs, () => {
            Promise.resolve()
              .then(fetchToken)
              .then((token) => {
                if (this.#wait === wait) this.#share(token);
                wait.take(token);
              }, wait.fail);
          });
          // Settled (our fetch, a shared token, the deadline, leave): the lock goes to the next tab.
          stop.signal.addEventListener('abort', () => {
            this.#timers.cancel(timer);
            release();
          });
        });
      // A tab that closes while it holds the lock loses it, and the next one in line fetches.
      // A lock manager that refuses (an opaque origin) leaves this tab to fetch alone.
      this.#o.locks.request(this.#key(), { signal: stop.signal }, held).catch(() => {
        if (!stop.signal.aborted) Promise.resolve().then(fetchToken).then(wait.take, wait.fail);
      });
    });
  }
}
