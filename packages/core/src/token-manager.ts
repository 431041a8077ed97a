/**
 * Token life in one place (design §2.4.4–5, 10–11): which token the next attempt uses, which ones
 * the server refused (never sent again), expiry on the server's clock, the `expiring` warning, the
 * proactive refresh, and fetchToken calls: one at a time, each with a deadline, failures retried
 * on the backoff schedule, results of an older generation dropped. It owns its timers; the session
 * decides what the connection does about a token.
 */
import type { BackoffOptions } from './backoff.js';
import { backoffDelayMs } from './backoff.js';
import type { Clock } from './clock.js';
import { TimerGroup } from './clock.js';
import type { CrossTab, CrossTabOptions } from './cross-tab.js';
import { SessionError } from './errors.js';
import type { TokenClaims, TokenStatus } from './token.js';
import { decodeToken, localExpiryMs, refreshAtMs, tokenStatusAt } from './token.js';

/** Declared here, not from @types/node (core also runs in browsers, where a page without a bundler defines it: errors.ts). */
// Bundlers replace process.env.NODE_ENV (Vite, webpack, esbuild, Rollup); Node has it.
declare const process: { env: { NODE_ENV?: string } };

export type FetchPurpose = 'login' | 'recover' | 'refresh';

interface Held {
  token: string;
  claims: TokenClaims;
  receivedAt: number;
}

export interface TokenManagerOptions {
  clock: Clock;
  fetchToken: (() => Promise<string>) | undefined;
  fetchTokenTimeoutMs: number;
  backoff: Readonly<BackoffOptions>;
  random: () => number;
  refreshLeadMs: number;
  expiringMs: number;
  /** Share token work with this user's other tabs (null: this tab works alone). */
  crossTab: CrossTabOptions | null;
}

/** What the manager asks of the session. */
export interface TokenManagerHost {
  /** Send `token` over the live connection; null when there is none. */
  sendUpdate(token: string): Promise<{ tokenExpiresAt: number } | null> | null;
  /** Token fields changed: recompute the store. */
  changed(): void;
  expiring(expiresAt: number): void;
  refreshed(expiresAt: number | null): void;
  /** A fetch failed. `final`: no more retries for this purpose. */
  failed(error: SessionError, purpose: FetchPurpose, final: boolean): void;
  /** A fetch for `purpose` produced a token the next attempt can use. */
  ready(purpose: FetchPurpose): void;
  /** The token in use passed its expiry on the server's clock. */
  died(): void;
  /** Another tab of this user signed out (crossTab). */
  signedOut(): void;
}

const superseded = () =>
  new SessionError(
    'error:client:invalid_state',
    process.env.NODE_ENV !== 'production' ? 'This token request was superseded by a logout or a new login.' : '',
    undefined,
    { reason: 'superseded' },
  );

/** Tokens the server refused, kept so none is ever sent again (bounded: only recent ones matter). */
const maxRefused = 32;

export class TokenManager {
  readonly #o: TokenManagerOptions;
  readonly #host: TokenManagerHost;
  /** Expiry, expiring and refresh timers of the token in use. */
  readonly #timers: TimerGroup;
  /** A fetch's deadline and its retry wait. */
  readonly #fetchTimers: TimerGroup;
  /** Bumped by reset(): answers of an older generation are dropped. */
  #generation = 0;
  /** The token the server last accepted. */
  #accepted: (Held & { serverExpiresAt: number | null }) | null = null;
  /** A token not yet seen by the server (login, updateToken while disconnected, a fetch). */
  #candidate: Held | null = null;
  readonly #refused = new Set<string>();
  /** Server clock − local clock; null until a session:success told us. */
  #offsetMs: number | null = null;
  #fetch: { purpose: FetchPurpose; promise: Promise<void> } | null = null;
  /** Backoff step of the current purpose's failed fetches. */
  #failures = 0;
  /** The token whose proactive refresh already ran: never more than one per token. */
  #refreshedFor: string | null = null;
  #tabs: CrossTab | null = null;

  constructor(options: TokenManagerOptions, host: TokenManagerHost) {
    this.#o = options;
    this.#host = host;
    this.#timers = new TimerGroup(options.clock);
    this.#fetchTimers = new TimerGroup(options.clock);
    const crossTab = options.crossTab;
    // Loaded only when the option is on, so apps without it never download cross-tab.ts. Until it
    // arrives (or if it never does) this tab works alone.
    if (crossTab) {
      import('./cross-tab.js').then(
        (m) => {
          this.#tabs = m.createCrossTab(crossTab, options.clock, this, host);
          this.#join();
        },
        () => {},
      );
    }
  }

  get canFetch(): boolean {
    return this.#o.fetchToken !== undefined;
  }

  get fetching(): FetchPurpose | null {
    return this.#fetch?.purpose ?? null;
  }

  /** The token the next attempt sends: a new one not yet refused, else the last accepted one. */
  forAttempt(): string | null {
    return this.#candidate?.token ?? this.#accepted?.token ?? null;
  }

  isRefused(token: string): boolean {
    return this.#refused.has(token);
  }

  /** Decode and hold `token` for the next attempt. Throws token_invalid for a non-JWT or refused token. */
  offer(token: string): void {
    const claims = decodeToken(token);
    if (this.#refused.has(token)) {
      throw new SessionError(
        'error:client:token_invalid',
        process.env.NODE_ENV !== 'production' ? 'The server already refused this token; it is not sent again.' : '',
        undefined,
        { reason: 'token_refused' },
      );
    }
    if (token === this.#accepted?.token) return;
    this.#candidate = { token, claims, receivedAt: this.#o.clock.now() };
    this.#schedule();
  }

  /** The sub of the token in use, for "this token belongs to another user" checks. */
  subject(): string | null {
    return (this.#candidate ?? this.#accepted)?.claims.sub ?? null;
  }

  #current(): (Held & { serverExpiresAt?: number | null }) | null {
    return this.#candidate ?? this.#accepted;
  }

  /** Local-clock expiry of the token in use (design §2.1 tokenExpiresAt). */
  expiresAt(): number | null {
    const held = this.#current();
    if (!held) return null;
    if (held === this.#accepted && this.#accepted.serverExpiresAt !== null && this.#offsetMs !== null) {
      return this.#accepted.serverExpiresAt - this.#offsetMs;
    }
    return localExpiryMs(held.claims, held.receivedAt, this.#offsetMs);
  }

  status(): TokenStatus {
    // Only while a fetch is in flight: between retries the token's own status shows (and the error).
    if (this.#fetch) return 'refreshing';
    if (!this.#current()) return 'none';
    return tokenStatusAt(this.#o.clock.now(), this.expiresAt(), this.#o.expiringMs);
  }

  /**
   * True when the token in use is past its expiry on the server's clock. Before that clock is
   * known the server decides: a token that only looks expired is still tried (§2.4.11).
   */
  knownDead(): boolean {
    const exp = this.expiresAt();
    return this.#offsetMs !== null && exp !== null && this.#o.clock.now() >= exp;
  }

  /** The server accepted `token` at login (session:success). */
  accepted(token: string, serverTime: number | undefined, serverExpiresAt: number | undefined): void {
    const now = this.#o.clock.now();
    if (serverTime !== undefined) this.#offsetMs = serverTime - now;
    const held = this.#candidate?.token === token ? this.#candidate : this.#accepted;
    if (held?.token !== token) return;
    this.#accepted = { ...held, serverExpiresAt: serverExpiresAt ?? null };
    if (this.#candidate?.token === token) this.#candidate = null;
    this.#schedule();
    this.#join();
  }

  /** The server vouched for this user: from now on this tab shares with the user's other tabs. */
  #join(): void {
    const sub = this.#accepted?.claims.sub;
    if (sub !== undefined) this.#tabs?.join(sub);
  }

  /** The server refused `token` (at login or in an update): never send it again. */
  refused(token: string): void {
    this.#refused.add(token);
    if (this.#refused.size > maxRefused) this.#refused.delete(this.#refused.values().next().value as string);
    if (this.#candidate?.token === token) this.#candidate = null;
    if (this.#accepted?.token === token) this.#accepted = null;
    this.#schedule();
  }

  /** The server ended the connection because `token` expired. */
  expired(token: string): void {
    // The server's word beats our estimate: treat it as dead from now on.
    const held =
      this.#candidate?.token === token ? this.#candidate : this.#accepted?.token === token ? this.#accepted : null;
    if (held) held.claims = { ...held.claims, exp: 0 };
    if (this.#accepted?.token === token) this.#accepted.serverExpiresAt = this.#offsetMs === null ? null : 0;
    this.#schedule();
  }

  /**
   * Use `token` now: over the live connection when there is one (resolves when the server took
   * it), otherwise for the next attempt. Rejects token_invalid when the server refuses it.
   */
  async use(token: string): Promise<void> {
    this.offer(token);
    const generation = this.#generation;
    const sent = this.#host.sendUpdate(token);
    if (!sent) {
      this.#host.refreshed(this.expiresAt());
      return;
    }
    let answer: { tokenExpiresAt: number } | null;
    try {
      answer = await sent;
    } catch (err) {
      if (generation === this.#generation) this.refused(token);
      throw err;
    }
    if (generation !== this.#generation) return;
    // No answer (the connection ended first): it stays the candidate for the next attempt.
    if (answer) this.accepted(token, undefined, answer.tokenExpiresAt);
    this.#host.changed();
    this.#host.refreshed(this.expiresAt());
  }

  /**
   * A token another tab of this user fetched (crossTab), used as if this tab had fetched it. A
   * retry of this tab's own failed fetch is moot once it is in use: it would cost a second call.
   */
  async received(token: string): Promise<void> {
    const generation = this.#generation;
    await this.use(token);
    if (generation !== this.#generation || this.#fetch) return;
    this.#fetchTimers.cancelAll();
    this.#failures = 0;
  }

  /** Fetch a token (single flight). Resolves when it is in use; rejects when this fetch failed. */
  fetch(purpose: FetchPurpose): Promise<void> {
    const fetchToken = this.#o.fetchToken;
    if (!fetchToken) {
      return Promise.reject(
        new SessionError(
          'error:client:invalid_state',
          process.env.NODE_ENV !== 'production' ? 'Getting a new token needs the fetchToken option.' : '',
        ),
      );
    }
    if (this.#fetch) {
      // A recovery outranks a refresh in flight: its result will be used the recovery's way.
      if (purpose !== 'refresh') this.#fetch.purpose = purpose;
      return this.#fetch.promise;
    }
    this.#fetchTimers.cancelAll();
    const generation = this.#generation;
    const current = () => generation === this.#generation;
    const flight: { purpose: FetchPurpose; promise: Promise<void> } = { purpose, promise: Promise.resolve() };
    const run = async () => {
      let token: unknown;
      try {
        token = await this.#withDeadline(() => (this.#tabs ? this.#tabs.fetch(fetchToken) : fetchToken()));
      } catch (cause) {
        throw this.#asFetchError(cause);
      }
      // One check, so a production build has one throw; the reason is what a program reads.
      const unusable =
        typeof token !== 'string'
          ? 'not_a_string'
          : token === this.#accepted?.token
            ? 'token_in_use'
            : this.#refused.has(token)
              ? 'token_refused'
              : '';
      if (unusable) {
        throw this.#asFetchError(
          new TypeError(
            process.env.NODE_ENV !== 'production'
              ? unusable === 'not_a_string'
                ? `fetchToken() resolved with ${typeof token}, not a JWT`
                : 'fetchToken() returned the token already in use, or one the server refused'
              : '',
          ),
          { reason: unusable },
        );
      }
      decodeToken(token); // token_invalid, as a token given to login() would be
      if (!current()) throw superseded();
      // A refresh goes over the live connection; the server may refuse it (token_invalid, final).
      if (flight.purpose === 'refresh') await this.use(token as string);
      else {
        this.offer(token as string);
        this.#host.refreshed(this.expiresAt());
      }
    };
    flight.promise = run().then(
      () => {
        if (!current()) return;
        this.#fetch = null;
        this.#failures = 0;
        this.#host.changed();
        this.#host.ready(flight.purpose);
      },
      (err: unknown) => {
        if (current()) {
          this.#fetch = null;
          this.#fail(flight.purpose, err);
        }
        throw err;
      },
    );
    this.#fetch = flight;
    this.#host.changed();
    return flight.promise;
  }

  #withDeadline(fetchToken: () => Promise<string>): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const timer = this.#fetchTimers.after(this.#o.fetchTokenTimeoutMs, () => {
        this.#tabs?.cancel(); // a lock held (or waited for) past the deadline goes to the next tab
        // fetchToken() gave no error to pass on: the cause says "timeout" by name, as
        // AbortSignal.timeout()'s does, and details carry the deadline (texts go in production).
        const cause = new Error(
          process.env.NODE_ENV !== 'production'
            ? `fetchToken() did not settle within ${this.#o.fetchTokenTimeoutMs} ms (option fetchTokenTimeoutMs)`
            : '',
        );
        cause.name = 'TimeoutError';
        reject(this.#asFetchError(cause, { reason: 'timeout', timeoutMs: this.#o.fetchTokenTimeoutMs }));
      });
      const settle = (fn: () => void) => {
        this.#fetchTimers.cancel(timer);
        fn();
      };
      let pending: Promise<string>;
      try {
        pending = Promise.resolve(fetchToken());
      } catch (err) {
        pending = Promise.reject(err);
      }
      pending.then(
        (token) => settle(() => resolve(token)),
        (err: unknown) => settle(() => reject(err)),
      );
    });
  }

  /** fetch_token_failed whose `details.reason` says how (errors.ts); a SessionError stays as it is. */
  #asFetchError(cause: unknown, details: Record<string, unknown> = { reason: 'rejected' }): SessionError {
    if (cause instanceof SessionError) return cause;
    return new SessionError(
      'error:client:fetch_token_failed',
      process.env.NODE_ENV !== 'production'
        ? `Could not get a new token: ${cause instanceof Error ? cause.message : String(cause)}.`
        : '',
      cause,
      details,
    );
  }

  /** A failed fetch: retried on the backoff schedule, while that can still help. */
  #fail(purpose: FetchPurpose, cause: unknown): void {
    const error = this.#asFetchError(cause);
    this.#failures += 1;
    const now = this.#o.clock.now();
    const exp = this.expiresAt();
    const delayMs = backoffDelayMs(this.#failures, this.#o.backoff, this.#o.random);
    // A refresh is worth retrying while the current token still lives; the others up to maxRetries.
    // Only a failing fetch is worth retrying; a refused token or a SessionError the app's fetchToken
    // threw on purpose (say, "not signed in") is final.
    const retry =
      error.type === 'error:client:fetch_token_failed' &&
      this.#failures <= this.#o.backoff.maxRetries &&
      (purpose !== 'refresh' || (exp !== null && now + delayMs < exp));
    if (retry) {
      this.#fetchTimers.after(delayMs, () => {
        this.fetch(purpose).catch(() => {
          /* reported through host.failed */
        });
      });
    } else this.#failures = 0;
    this.#host.failed(error, purpose, !retry);
  }

  /** Arm the expiring / expired / proactive-refresh timers for the token in use. */
  #schedule(): void {
    this.#timers.cancelAll();
    const held = this.#current();
    const exp = this.expiresAt();
    if (!held || exp === null) return;
    const now = this.#o.clock.now();
    if (this.#o.expiringMs > 0 && now < exp - this.#o.expiringMs) {
      this.#timers.at(exp - this.#o.expiringMs, () => {
        this.#host.changed();
        this.#host.expiring(exp);
      });
    }
    if (now < exp) {
      this.#timers.at(exp, () => {
        this.#host.changed();
        if (this.knownDead()) this.#host.died();
      });
    }
    // A token that looked dead on arrival gets no proactive refresh: the server decides (§2.4.11).
    if (this.canFetch && exp > held.receivedAt && this.#refreshedFor !== held.token) {
      this.#timers.at(Math.max(now, refreshAtMs(held.receivedAt, exp, this.#o.refreshLeadMs)), () => {
        this.#refreshedFor = held.token;
        this.fetch('refresh').catch(() => {
          /* reported through host.failed; retried while the token lives */
        });
      });
    }
  }

  /** Tell this user's other tabs to log out (crossTab). */
  signOut(): void {
    this.#tabs?.signOut();
  }

  /** Forget everything (logout, destroy, a new login). In-flight fetches are dropped. */
  reset(): void {
    this.#tabs?.leave();
    this.#generation += 1;
    this.#timers.cancelAll();
    this.#fetchTimers.cancelAll();
    this.#accepted = null;
    this.#candidate = null;
    this.#offsetMs = null;
    this.#fetch = null;
    this.#failures = 0;
    this.#refreshedFor = null;
  }

  /** The token's life on the local clock, for devtools: issued (from `iat`), refresh due, expiry. */
  life(): { issuedAt: number | null; refreshAt: number | null; expiresAt: number | null } {
    const held = this.#current();
    const exp = this.expiresAt();
    if (!held || exp === null) return { issuedAt: null, refreshAt: null, expiresAt: exp };
    const { iat } = held.claims;
    const issuedAt = iat === undefined ? null : this.#offsetMs === null ? held.receivedAt : iat * 1000 - this.#offsetMs;
    const refreshAt =
      this.canFetch && exp > held.receivedAt ? refreshAtMs(held.receivedAt, exp, this.#o.refreshLeadMs) : null;
    return { issuedAt, refreshAt, expiresAt: exp };
  }

  get pendingTimers(): number {
    return this.#timers.size + this.#fetchTimers.size;
  }
}
