/**
 * crossTab with fake tabs: one origin's Web Locks (exclusive, queued, released when the holder's
 * callback settles or its tab closes, abortable while queued) and BroadcastChannels (every other
 * open channel of that name gets a copy, as a later task), on fake timers. The real browser runs
 * the same cases in e2e/cross-tab.e2e.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BroadcastChannelLike, CrossTabOptions, LockManagerLike } from '../src/cross-tab.js';
import { crossTabAskMs } from '../src/cross-tab.js';
import { SessionOptionsError } from '../src/errors.js';
import { manualNetwork } from '../src/network.js';
import type { Session, SessionEventName } from '../src/session.js';
import { createSession } from '../src/session.js';
import { decodeToken } from '../src/token.js';
import type { SimulatedTransport } from '../src/transport/simulated.js';
import { simulatedTransport } from '../src/transport/simulated.js';
import { T0, tokenFor } from './harness.js';

interface Posted {
  channel: string;
  data: unknown;
}

/** One origin: its channels and locks, shared by the tabs it opens. */
function fakeOrigin(options: { messageDelayMs?: number } = {}) {
  const channels = new Set<{ name: string; target: BroadcastChannelLike; closed: boolean }>();
  const posted: Posted[] = [];
  type Request = { tab: object; grant: () => void };
  const locks = new Map<string, { holder: object | null; queue: Request[] }>();
  const lockOf = (name: string) => {
    const l = locks.get(name) ?? { holder: null, queue: [] };
    locks.set(name, l);
    return l;
  };
  // Web Locks grants and channel messages travel separately: with messageDelayMs a grant overtakes a message.
  const messageDelayMs = options.messageDelayMs ?? 0;
  const grantLater = (fn: () => void) => (messageDelayMs > 0 ? queueMicrotask(fn) : setTimeout(fn, 0));
  const pump = (name: string) => {
    const l = lockOf(name);
    if (l.holder || l.queue.length === 0) return;
    const next = l.queue.shift() as Request;
    l.holder = next.tab;
    grantLater(next.grant);
  };

  function tab() {
    const id = {};
    const own: { name: string; target: BroadcastChannelLike; closed: boolean }[] = [];
    class Channel implements BroadcastChannelLike {
      onmessage: ((event: { data: unknown }) => void) | null = null;
      readonly #entry: { name: string; target: BroadcastChannelLike; closed: boolean };
      constructor(name: string) {
        this.#entry = { name, target: this, closed: false };
        channels.add(this.#entry);
        own.push(this.#entry);
      }
      postMessage(message: unknown): void {
        if (this.#entry.closed) throw new Error('InvalidStateError: channel closed');
        posted.push({ channel: this.#entry.name, data: structuredClone(message) });
        for (const other of channels) {
          if (other === this.#entry || other.name !== this.#entry.name) continue;
          const data = structuredClone(message);
          setTimeout(() => {
            if (!other.closed) other.target.onmessage?.({ data });
          }, messageDelayMs);
        }
      }
      close(): void {
        this.#entry.closed = true;
        channels.delete(this.#entry);
      }
    }
    const lockManager: LockManagerLike = {
      request(name, { signal }, callback) {
        return new Promise((resolve, reject) => {
          if (signal?.aborted) return reject(new DOMException('aborted', 'AbortError'));
          const l = lockOf(name);
          const request: Request = {
            tab: id,
            grant: () => {
              let released = false;
              const release = () => {
                if (released) return;
                released = true;
                if (l.holder === id) l.holder = null;
                pump(name);
              };
              callback().then(
                (v) => {
                  release();
                  resolve(v);
                },
                (e) => {
                  release();
                  reject(e);
                },
              );
            },
          };
          signal?.addEventListener('abort', () => {
            const at = l.queue.indexOf(request);
            if (at >= 0) {
              l.queue.splice(at, 1);
              reject(new DOMException('aborted', 'AbortError'));
            }
          });
          l.queue.push(request);
          pump(name);
        });
      },
    };
    return {
      crossTab: { locks: lockManager, BroadcastChannel: Channel } satisfies CrossTabOptions,
      /** The tab goes away: its channels close, its queued requests vanish, its locks are released. */
      close() {
        for (const entry of own) {
          entry.closed = true;
          channels.delete(entry);
        }
        for (const [name, l] of locks) {
          l.queue = l.queue.filter((r) => r.tab !== id);
          if (l.holder === id) {
            l.holder = null;
            pump(name);
          }
        }
      },
    };
  }

  return { tab, posted, openChannels: () => [...channels].map((c) => c.name) };
}

/** A token endpoint that counts calls and can hold the next one. */
function tokenEndpoint(ttlSeconds: number) {
  const calls: { sub: string; at: number }[] = [];
  let holdNext = false;
  const held: ((token: string) => void)[] = [];
  const fetchTokenFor = (sub: string) =>
    vi.fn(async () => {
      calls.push({ sub, at: Date.now() - T0 });
      const token = tokenFor(ttlSeconds, sub);
      if (holdNext) {
        holdNext = false;
        return new Promise<string>((resolve) => held.push(resolve));
      }
      return token;
    });
  return {
    calls,
    count: (sub: string) => calls.filter((c) => c.sub === sub).length,
    fetchTokenFor,
    holdNext: () => {
      holdNext = true;
    },
    held,
  };
}

interface Tab {
  session: Session;
  sim: SimulatedTransport;
  close(): void;
  events: string[];
  /** Calls of this tab's own fetchToken. */
  fetches(): number;
  /** `exp` of the token this tab's server last accepted. */
  exp(): number | null;
}

const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
const ttlSeconds = 60;

function openTab(
  origin: ReturnType<typeof fakeOrigin>,
  endpoint: ReturnType<typeof tokenEndpoint>,
  sub: string,
  extra: { crossTab?: CrossTabOptions | boolean; fetchToken?: boolean } = {},
): Tab {
  const t = origin.tab();
  const sim = simulatedTransport();
  const fetchToken = endpoint.fetchTokenFor(sub);
  const session = createSession({
    transport: sim,
    network: manualNetwork(true),
    ...(extra.fetchToken === false ? {} : { fetchToken }),
    crossTab: extra.crossTab === undefined ? t.crossTab : extra.crossTab,
  });
  const events: string[] = [];
  for (const name of ['disconnect', 'token:refreshed', 'error'] as SessionEventName[]) {
    session.on(name, (...[arg]: unknown[]) =>
      events.push(
        `${name}${typeof arg === 'string' ? `:${arg}` : name === 'error' ? `:${(arg as { type: string }).type}` : ''}`,
      ),
    );
  }
  return {
    session,
    sim,
    events,
    fetches: () => fetchToken.mock.calls.length,
    close() {
      t.close();
      session.destroy();
    },
    exp: () => {
      const at = session.getState().tokenExpiresAt;
      return at === null ? null : Math.round(at / 1000);
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function threeTabs(origin = fakeOrigin()) {
  const endpoint = tokenEndpoint(ttlSeconds);
  const tabs = [0, 1, 2].map(() => openTab(origin, endpoint, 'alice'));
  // Opened a little apart, as a user opens tabs.
  for (const tab of tabs) {
    await Promise.all([tab.session.login(), advance(0)]);
    await advance(700);
  }
  return { origin, endpoint, tabs };
}

const expsOf = (tabs: Tab[]) => tabs.map((t) => t.exp());

describe('crossTab: token work is shared by the tabs of one user', () => {
  it('three tabs through two refresh cycles: one fetchToken call per cycle, every tab on the new token over its own socket', async () => {
    const { endpoint, tabs } = await threeTabs();
    expect(endpoint.count('alice')).toBe(3); // each tab's first token is its own (it does not know its user yet)
    // The newest login token wins: the tabs converge on it, so their refreshes fall together.
    const first = tabs[2]?.exp();
    expect(expsOf(tabs)).toEqual([first, first, first]);

    for (const cycle of [1, 2]) {
      await advance((ttlSeconds / 2) * 1000);
      expect(endpoint.count('alice')).toBe(3 + cycle);
      const fresh = Math.max(...(expsOf(tabs) as number[]));
      expect(expsOf(tabs)).toEqual([fresh, fresh, fresh]);
    }
    for (const tab of tabs) {
      expect(tab.session.getState()).toMatchObject({
        status: 'connected',
        tokenStatus: expect.any(String),
        error: null,
      });
      expect(tab.events.filter((e) => e.startsWith('disconnect'))).toEqual([]);
    }
    // Past the first token's expiry: had any tab kept it, its server would have ended the session.
    await advance(ttlSeconds * 1000);
    expect(tabs.map((t) => t.session.getState().status)).toEqual(['connected', 'connected', 'connected']);
  });

  it('still one call when the lock reaches the next tab before the token its holder shared', async () => {
    const { endpoint, tabs } = await threeTabs(fakeOrigin({ messageDelayMs: 20 }));
    for (const cycle of [1, 2]) {
      await advance((ttlSeconds / 2) * 1000);
      expect(endpoint.count('alice')).toBe(3 + cycle);
    }
    const fresh = tabs[0]?.exp();
    expect(expsOf(tabs)).toEqual([fresh, fresh, fresh]);
  });

  it('TOKEN_EXPIRED in every tab at once: one fetchToken call, every tab reconnects with it', async () => {
    const { endpoint, tabs } = await threeTabs();
    const before = endpoint.count('alice');
    for (const tab of tabs) tab.sim.expireToken();
    await advance(crossTabAskMs * 3);
    expect(endpoint.count('alice')).toBe(before + 1);
    expect(tabs.map((t) => t.session.getState().status)).toEqual(['connected', 'connected', 'connected']);
    const fresh = tabs[0]?.exp();
    expect(expsOf(tabs)).toEqual([fresh, fresh, fresh]);
  });

  it('the fetching tab closes mid-fetch: the lock passes on, another tab fetches, none is stuck', async () => {
    const { endpoint, tabs } = await threeTabs();
    const before = endpoint.count('alice');
    endpoint.holdNext();
    await advance((ttlSeconds / 2) * 1000 - 1000);
    // Find the tab whose fetch hangs: the others wait for the lock.
    await advance(1000 + crossTabAskMs);
    expect(endpoint.count('alice')).toBe(before + 1);
    expect(endpoint.held).toHaveLength(1);
    const fetchesBefore = tabs.map((t) => t.fetches());
    await advance(1000);
    expect(tabs.map((t) => t.fetches())).toEqual(fetchesBefore); // the others wait for the lock
    const holder = tabs.findIndex((t) => t.fetches() === 2); // its login fetch, and the one that hangs
    expect(tabs.filter((t) => t.fetches() === 2)).toHaveLength(1);
    expect(tabs.map((t) => t.session.getState().tokenStatus)).toEqual(['refreshing', 'refreshing', 'refreshing']);
    tabs[holder]?.close();
    const rest = tabs.filter((_, i) => i !== holder);
    await advance(crossTabAskMs + 10);
    expect(endpoint.count('alice')).toBe(before + 2);
    const fresh = rest[0]?.exp();
    expect(fresh).toBeGreaterThan(Math.floor(T0 / 1000) + ttlSeconds);
    expect(expsOf(rest)).toEqual([fresh, fresh]);
    for (const tab of rest) {
      expect(tab.session.getState()).toMatchObject({ status: 'connected', tokenStatus: 'expiring', error: null });
    }
    endpoint.held[0]?.(tokenFor(ttlSeconds)); // the closed tab's answer arrives late: nobody takes it
    await advance(10);
    expect(expsOf(rest)).toEqual([fresh, fresh]);
  });

  it('a holder whose fetchToken hangs lets go at fetchTokenTimeoutMs: the next tab fetches at once', async () => {
    const { endpoint, tabs } = await threeTabs();
    const [x, y] = tabs as [Tab, Tab];
    const before = endpoint.count('alice');
    endpoint.holdNext(); // x's call never answers, and x stays open
    const failed = x.session.refreshToken().catch((err: unknown) => err);
    while (endpoint.held.length === 0) await advance(10);
    await advance(5000);
    y.session.refreshToken().catch(() => {}); // y waits for the lock x holds
    // x's deadline counts from its refreshToken(), a lock wait before the call; then the lock is y's.
    await advance(10_000 + 20);
    expect(await failed).toMatchObject({ type: 'error:client:fetch_token_failed' });
    expect(endpoint.count('alice')).toBe(before + 2);
    const fresh = y.exp();
    expect(fresh).toBeGreaterThan(Math.floor(T0 / 1000) + ttlSeconds);
    expect(expsOf(tabs)).toEqual([fresh, fresh, fresh]);
    for (const tab of tabs) {
      // 'expiring': a 60 s token is always inside the default tokenExpiringMs (120 s); not 'refreshing'.
      expect(tab.session.getState()).toMatchObject({ status: 'connected', tokenStatus: 'expiring' });
    }
    // x's failed fetch had a retry scheduled; y's token made it moot: no third call, no error left.
    await advance(5000);
    expect(endpoint.count('alice')).toBe(before + 2);
    expect(x.session.getState().error).toBeNull();
  });

  it('a hanging fetchToken in every tab: all give up at fetchTokenTimeoutMs and the retry succeeds', async () => {
    const { endpoint, tabs } = await threeTabs();
    const before = endpoint.count('alice');
    endpoint.holdNext();
    await advance((ttlSeconds / 2) * 1000);
    expect(endpoint.count('alice')).toBe(before + 1);
    await advance(15_000 + 1000 + crossTabAskMs + 20); // the deadline, then the first retry
    expect(endpoint.count('alice')).toBe(before + 2);
    const fresh = tabs[0]?.exp();
    expect(expsOf(tabs)).toEqual([fresh, fresh, fresh]);
    expect(tabs.map((t) => t.session.getState().status)).toEqual(['connected', 'connected', 'connected']);
  });
});

describe('crossTab: which token wins', () => {
  it('a tab that joins with an older token gets the newer one from the others', async () => {
    const { origin, endpoint, tabs } = await threeTabs();
    const late = openTab(origin, endpoint, 'alice');
    const exp = tabs[0]?.exp() as number;
    await Promise.all([late.session.login(tokenFor(20, 'alice')), advance(10)]);
    expect(late.exp()).toBe(exp);
    expect(late.session.getState().status).toBe('connected');
    expect(late.fetches()).toBe(0);
  });

  it('a token this tab’s server refused is not taken again when another tab shares it', async () => {
    const origin = fakeOrigin();
    const { tabs } = await threeTabs(origin);
    const [a] = tabs as [Tab];
    const exp = a.exp();
    const refused = tokenFor(3600, 'alice');
    a.sim.rejectLogins(true);
    await expect(Promise.all([a.session.updateToken(refused), advance(0)])).rejects.toMatchObject({
      type: 'error:client:token_invalid',
    });
    a.sim.rejectLogins(false);
    const other = new (origin.tab().crossTab.BroadcastChannel)('nexmo-session:default:alice');
    other.postMessage({ type: 'token', token: refused });
    await advance(10);
    expect(a.exp()).toBe(exp); // had it been taken, the (now accepting) server would have it
    expect(tabs[1]?.exp()).toBe(decodeToken(refused).exp); // the others had not refused it
    // Nor does it settle a fetch of this tab's that waits for the lock's moment: it fetches its own.
    const refreshing = a.session.refreshToken();
    await advance(crossTabAskMs / 2);
    other.postMessage({ type: 'token', token: refused });
    await Promise.all([refreshing, advance(crossTabAskMs)]);
    expect(a.events.filter((e) => e.startsWith('error'))).toEqual([]);
    expect(a.fetches()).toBe(2);
  });
});

describe('crossTab: sign-out', () => {
  it('logout() in one tab signs out every tab of that user at once; another user’s tab is untouched', async () => {
    const { origin, endpoint, tabs } = await threeTabs();
    const bob = openTab(origin, endpoint, 'bob');
    await Promise.all([bob.session.login(), advance(0)]);
    bob.events.length = 0;
    const [a, b, c] = tabs as [Tab, Tab, Tab];
    await Promise.all([a.session.logout(), advance(0)]);
    for (const tab of [a, b, c]) {
      expect(tab.session.getState()).toMatchObject({ status: 'idle', sessionId: null });
      expect(tab.events.filter((e) => e.startsWith('disconnect'))).toEqual(['disconnect:CLIENT_DISCONNECTED']);
      expect(tab.sim.isConnected).toBe(false);
    }
    expect(bob.session.getState()).toMatchObject({ status: 'connected', userId: 'bob' });
    expect(bob.events).toEqual([]);
    expect(origin.openChannels()).toEqual(['nexmo-session:default:bob']);
    // Signed-out tabs log in again on their own, and share again.
    await Promise.all([b.session.login(), advance(0)]);
    await Promise.all([c.session.login(), advance(0)]);
    await Promise.all([c.session.logout(), advance(0)]);
    expect(b.session.getState().status).toBe('idle');
  });

  it('destroy() (a tab closing, a provider unmounting) signs no other tab out', async () => {
    const { tabs } = await threeTabs();
    tabs[0]?.close();
    await advance(100);
    expect(tabs.slice(1).map((t) => t.session.getState().status)).toEqual(['connected', 'connected']);
  });
});

describe('crossTab: users and names stay apart', () => {
  it('a token is only ever posted on its own user’s channel, and bob’s tab never takes alice’s', async () => {
    const { origin, endpoint, tabs } = await threeTabs();
    const bob = openTab(origin, endpoint, 'bob');
    await Promise.all([bob.session.login(), advance(0)]);
    const bobExp = bob.exp();
    await advance((ttlSeconds / 2) * 1000); // alice's cycle (bob logged in later: his is not due)
    expect(endpoint.count('bob')).toBe(1);
    expect(bob.exp()).toBe(bobExp);
    for (const { channel, data } of origin.posted) {
      const token = (data as { token?: string }).token;
      if (token !== undefined) expect(channel).toBe(`nexmo-session:default:${decodeToken(token).sub}`);
    }
    expect(origin.posted.some((p) => p.channel.endsWith(':alice'))).toBe(true);
    expect(tabs.map((t) => t.session.getState().status)).toEqual(['connected', 'connected', 'connected']);
  });

  it('a forged, stale or foreign token on the channel is ignored', async () => {
    const origin = fakeOrigin();
    const { endpoint, tabs } = await threeTabs(origin);
    const intruder = new (origin.tab().crossTab.BroadcastChannel)('nexmo-session:default:alice');
    const exp = tabs[0]?.exp();
    intruder.postMessage({ type: 'token', token: tokenFor(3600, 'bob') }); // another user's
    intruder.postMessage({ type: 'token', token: 'not-a-jwt' });
    intruder.postMessage({ type: 'token', token: tokenFor(1, 'alice') }); // older than theirs (a replay)
    intruder.postMessage({ type: 'nonsense' });
    intruder.postMessage(null);
    await advance(10);
    expect(expsOf(tabs)).toEqual([exp, exp, exp]);
    expect(endpoint.count('bob')).toBe(0);
    for (const tab of tabs) expect(tab.session.getState()).toMatchObject({ status: 'connected', error: null });
  });

  it('sessions with different names do not share, even for one user', async () => {
    const origin = fakeOrigin();
    const endpoint = tokenEndpoint(ttlSeconds);
    const chat = openTab(origin, endpoint, 'alice', { crossTab: { ...origin.tab().crossTab, name: 'chat' } });
    const calls = openTab(origin, endpoint, 'alice', { crossTab: { ...origin.tab().crossTab, name: 'calls' } });
    await Promise.all([chat.session.login(), advance(0)]);
    await Promise.all([calls.session.login(), advance(0)]);
    await Promise.all([chat.session.logout(), advance(0)]);
    expect(calls.session.getState().status).toBe('connected');
    expect(origin.openChannels()).toEqual(['nexmo-session:calls:alice']);
  });

  it('a tab that logs out of alice and in as bob leaves alice’s channel and refuses her tokens', async () => {
    const origin = fakeOrigin();
    const endpoint = tokenEndpoint(ttlSeconds);
    const one = openTab(origin, endpoint, 'alice', { fetchToken: false });
    const two = openTab(origin, endpoint, 'alice');
    await Promise.all([one.session.login(tokenFor(ttlSeconds, 'alice')), advance(0)]);
    await Promise.all([two.session.login(), advance(0)]);
    await Promise.all([one.session.logout(), advance(0)]); // signs alice out everywhere, as a user switch should
    expect(two.session.getState().status).toBe('idle');
    await Promise.all([one.session.login(tokenFor(ttlSeconds, 'bob')), advance(0)]);
    await Promise.all([two.session.login(), advance(0)]); // alice again, with a newer token
    expect(one.session.getState()).toMatchObject({ status: 'connected', userId: 'bob' });
    expect(origin.openChannels().sort()).toEqual(['nexmo-session:default:alice', 'nexmo-session:default:bob']);
    expect(one.exp()).toBe(Math.floor(T0 / 1000) + ttlSeconds);
  });

  it('fetchToken returning another user’s token is refused and never shared', async () => {
    const origin = fakeOrigin();
    const endpoint = tokenEndpoint(ttlSeconds);
    const t = origin.tab();
    let sub = 'alice';
    const session = createSession({
      transport: simulatedTransport(),
      network: manualNetwork(true),
      fetchToken: async () => tokenFor(ttlSeconds, sub),
      crossTab: t.crossTab,
    });
    const other = openTab(origin, endpoint, 'alice');
    await Promise.all([session.login(), advance(0)]);
    await Promise.all([other.session.login(), advance(0)]);
    sub = 'bob'; // the app signed in as bob elsewhere
    await expect(Promise.all([session.refreshToken(), advance(crossTabAskMs)])).rejects.toMatchObject({
      type: 'error:client:token_invalid',
    });
    const postedSubs = origin.posted.flatMap((p) => {
      const token = (p.data as { token?: string }).token;
      return token === undefined ? [] : [decodeToken(token).sub];
    });
    expect(postedSubs.length).toBeGreaterThan(0);
    expect(postedSubs.every((s) => s === 'alice')).toBe(true);
    expect(session.getState()).toMatchObject({ status: 'connected', userId: 'alice' });
  });
});

describe('crossTab: options and environments', () => {
  it('a lock manager that refuses (an opaque origin) leaves the tab to fetch alone', async () => {
    const endpoint = tokenEndpoint(ttlSeconds);
    const { crossTab } = fakeOrigin().tab();
    const tab = openTab(fakeOrigin(), endpoint, 'alice', {
      crossTab: { ...crossTab, locks: { request: () => Promise.reject(new DOMException('opaque', 'SecurityError')) } },
    });
    await Promise.all([tab.session.login(), advance(0)]);
    await advance((ttlSeconds / 2) * 1000 + crossTabAskMs);
    expect(endpoint.count('alice')).toBe(2);
    expect(tab.session.getState()).toMatchObject({ status: 'connected', error: null });
    expect(tab.exp()).toBeGreaterThan(Math.floor(T0 / 1000) + ttlSeconds);
  });

  it('is validated: a clear error names the option', () => {
    const transport = simulatedTransport();
    for (const crossTab of ['yes', 1, null, { name: '' }, { name: 3 }]) {
      expect(() => createSession({ transport, crossTab: crossTab as never })).toThrow(SessionOptionsError);
    }
    expect(() => createSession({ transport, crossTab: 'yes' as never })).toThrow(/crossTab/);
  });

  it('without Web Locks (Node, SSR, old browsers) it is a no-op with one warning in development', async () => {
    vi.resetModules();
    const { createSession: fresh } = await import('../src/session.js');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const endpoint = tokenEndpoint(ttlSeconds);
    const sessions = [0, 1].map(() =>
      fresh({
        transport: simulatedTransport(),
        network: manualNetwork(true),
        fetchToken: endpoint.fetchTokenFor('alice'),
        crossTab: true,
      }),
    );
    for (const s of sessions) await Promise.all([s.login(), advance(0)]);
    await vi.waitFor(() => expect(warn).toHaveBeenCalled());
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/crossTab is off/);
    await advance((ttlSeconds / 2) * 1000);
    expect(endpoint.count('alice')).toBe(4); // each refreshes alone
    await Promise.all([sessions[0]?.logout(), advance(0)]);
    expect(sessions[1]?.getState().status).toBe('connected');
    for (const s of sessions) s.destroy();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('in production it stays quiet', async () => {
    vi.resetModules();
    vi.stubEnv('NODE_ENV', 'production');
    const { createCrossTab } = await import('../src/cross-tab.js');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const tokens = { forAttempt: () => null, isRefused: () => false, received: async () => {} };
    const host = { ready() {}, signedOut() {} };
    expect(createCrossTab({}, { now: Date.now, setTimeout, clearTimeout }, tokens, host)).toBeNull();
    expect(warn).not.toHaveBeenCalled();
    vi.unstubAllEnvs();
  });
});
