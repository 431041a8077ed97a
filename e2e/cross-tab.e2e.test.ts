/**
 * crossTab in real Chromium against the reference server (issue 17): one browser context, three
 * tabs of alice (and one of bob), real JWTs from the dev token route, the browser's own Web Locks
 * and BroadcastChannel. Every tab is e2e/pages/cross-tab, built by Vite from the sources.
 *
 * Token requests are counted where every tab's request passes, the browser context's network, so a
 * tab cannot under-report. Which token a tab uses is read off its own socket (the frames it sends
 * its server), not taken from the tab's word.
 *
 * `CROSS_TAB=0 npx vitest run --project e2e e2e/cross-tab` runs the same tests with the option
 * off: every one of them must fail then.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page, Request, Route } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeToken } from '../packages/core/src/token.js';
import type { SessionServer } from '../packages/server/src/server.js';
import { launch, serveStatic, startDevServer } from './harness.js';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const crossTab = process.env.CROSS_TAB ?? '1';
/** The engine's default (design §2.3): no tab may wait longer than this for a token. */
const fetchTokenTimeoutMs = 15_000;
/** Issue 17: sign-out reaches every tab within 100 ms. Asserted with room for a loaded 2-core machine. */
const signOutGoalMs = 100;
const signOutBoundMs = 500;

let browser: Browser;
let context: BrowserContext;
let app: { url: string; close(): Promise<void> };
let server: SessionServer;
let serverUrl: string;
let outDir: string;

/** Every /dev/token request any tab made, in order, with the token the server answered. */
let requests: { sub: string; page: Page; token: Promise<string | null> }[] = [];
const requestsOf = (sub: string) => requests.filter((r) => r.sub === sub);
const opened: Page[] = [];

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'cross-tab-page-'));
  await build({
    configFile: false,
    root: src('./pages/cross-tab'),
    logLevel: 'warn',
    resolve: { alias: [{ find: /^@nexmo-session\/core$/, replacement: src('../packages/core/src/index.ts') }] },
    build: { outDir, emptyOutDir: true },
  });
  [browser, app, server] = await Promise.all([launch(), serveStatic(outDir), startDevServer()]);
  serverUrl = `http://127.0.0.1:${server.port}`;
  context = await browser.newContext();
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname !== '/dev/token') return;
    requests.push({ sub: url.searchParams.get('sub') ?? '', page: request.frame().page(), token: tokenOf(request) });
  });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});
beforeEach(() => {
  requests = [];
});
afterEach(async () => {
  for (const page of opened.splice(0)) await page.close();
});

async function tokenOf(request: Request): Promise<string | null> {
  const response = await request.response().catch(() => null);
  if (!response) return null; // never answered (a tab closed with it in flight)
  const body = (await response.json().catch(() => null)) as { token?: string } | null;
  return body?.token ?? null;
}

/** A route handler that never answers the first token request of `sub` (a fetch that hangs); the rest go through. */
function holdFirstTokenRequest(sub: string) {
  const hold = {
    held: null as Request | null,
    route: (route: Route) => {
      if (hold.held === null && new URL(route.request().url()).searchParams.get('sub') === sub) {
        hold.held = route.request();
        return;
      }
      return route.continue();
    },
  };
  return hold;
}

interface Tab {
  page: Page;
  /** Tokens this tab sent its server (login and update_token frames), in order. */
  sent: string[];
}

/** Open a tab of `sub` in the shared context and wait until it is connected. */
async function openTab(sub: string, query: { ttl?: number; leadMs?: number } = {}): Promise<Tab> {
  const page = await context.newPage();
  opened.push(page);
  const tab: Tab = { page, sent: [] };
  page.on('websocket', (ws) =>
    ws.on('framesent', ({ payload }) => {
      let frame: { type?: string; token?: string };
      try {
        frame = JSON.parse(String(payload));
      } catch {
        return; // not a frame of ours; the server would say so
      }
      if ((frame.type === 'session:login' || frame.type === 'session:update_token') && frame.token) {
        tab.sent.push(frame.token);
      }
    }),
  );
  const params = new URLSearchParams({ server: serverUrl, sub, crossTab, ttl: String(query.ttl ?? 3600) });
  if (query.leadMs !== undefined) params.set('leadMs', String(query.leadMs));
  await page.goto(`${app.url}/?${params}`);
  await page.waitForFunction(() => window.probe?.state().status === 'connected');
  return tab;
}

/** `n` tabs of `sub`, opened together. */
const openTabs = (sub: string, n: number, query: { ttl?: number; leadMs?: number } = {}) =>
  Promise.all(Array.from({ length: n }, () => openTab(sub, query)));

const state = (tab: Tab) => tab.page.evaluate(() => window.probe.state());
const states = (tabs: Tab[]) => Promise.all(tabs.map(state));
const disconnects = (tab: Tab) =>
  tab.page.evaluate(() => window.probe.events.filter((e) => e.name === 'disconnect').map((e) => e.detail));
const socketsClosedAt = (tab: Tab) => tab.page.evaluate(() => window.probe.sockets.map((s) => s.closedAt));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const expSeconds = (s: { tokenExpiresAt: number | null }) =>
  s.tokenExpiresAt === null ? null : Math.round(s.tokenExpiresAt / 1000);

describe('crossTab in Chromium: three tabs of one user, one context, the reference server', () => {
  it('three tabs through two refresh cycles: one fetchToken call per cycle, all three on the new token', async () => {
    // 8 s tokens refreshed at half their life: a cycle every ~4 s, the first after the tabs are open.
    // Opened one after another, as a user opens tabs: the later ones bring newer tokens, and all converge.
    const query = { ttl: 8, leadMs: 4000 };
    const tabs = [await openTab('alice', query), await openTab('alice', query), await openTab('alice', query)];
    const logins = requestsOf('alice').length;
    expect(logins).toBe(3); // each tab's first token is its own: it does not know its user before the server says
    const loginExps = (await states(tabs)).map(expSeconds) as number[];

    for (const cycle of [1, 2]) {
      await expect.poll(() => requestsOf('alice').length, { timeout: 10_000 }).toBeGreaterThanOrEqual(logins + cycle);
      const fresh = await requestsOf('alice')[logins + cycle - 1]?.token;
      expect(fresh).toEqual(expect.any(String));
      // Every tab sends that very token over its own socket: fetched by one, received by the others.
      await expect.poll(() => tabs.map((t) => t.sent.at(-1) === fresh), { timeout: 5000 }).toEqual([true, true, true]);
      // A second call in this cycle would come now, within the lock's hand-over, not at the next refresh (~4 s on).
      await sleep(400);
      expect(requestsOf('alice').length).toBe(logins + cycle);
      const now = await states(tabs);
      expect(now.map(expSeconds)).toEqual(Array(3).fill(decodeToken(fresh).exp));
      for (const s of now) expect(s).toMatchObject({ status: 'connected', error: null });
      expect(now.map((s) => s.tokenStatus)).not.toContain('refreshing');
    }
    const perTab = await Promise.all(tabs.map((t) => t.page.evaluate(() => window.probe.fetches())));
    expect(perTab.reduce((a, b) => a + b, 0)).toBe(logins + 2);

    // Past every login token's expiry: a tab still on one would have been sent TOKEN_EXPIRED.
    const pastMs = Math.max(...loginExps) * 1000 + 300 - Date.now();
    if (pastMs > 0) await sleep(pastMs);
    expect((await states(tabs)).map((s) => s.status)).toEqual(['connected', 'connected', 'connected']);
    for (const tab of tabs) expect(await disconnects(tab)).toEqual([]);
  });

  it('the fetching tab closes mid-fetch: another tab fetches, none is stuck', async () => {
    // 10 s tokens refreshed 5 s before expiry: time to watch the others wait, and to recover, before it.
    const tabs = await openTabs('alice', 3, { ttl: 10, leadMs: 5000 });
    const logins = requestsOf('alice').length;
    // The first refresh request never gets an answer: the tab that made it is closed with it in flight.
    const hold = holdFirstTokenRequest('alice');
    await context.route('**/dev/token?*', hold.route);
    try {
      await expect.poll(() => hold.held !== null, { timeout: 10_000 }).toBe(true);
      const holder = tabs.find((t) => t.page === hold.held?.frame().page()) as Tab;
      const rest = tabs.filter((t) => t !== holder);
      // The others wait for the lock the holder keeps while its fetch hangs: no request of theirs.
      await sleep(1000);
      expect(requestsOf('alice').length).toBe(logins + 1);
      expect((await states(tabs)).map((s) => s.tokenStatus)).toEqual(['refreshing', 'refreshing', 'refreshing']);

      const closedAt = Date.now();
      await holder.page.close();
      await expect.poll(() => requestsOf('alice').length, { timeout: 5000 }).toBe(logins + 2);
      const next = requestsOf('alice')[logins + 1];
      expect(rest.map((t) => t.page)).toContain(next?.page);
      const fresh = await next?.token;
      expect(fresh).toEqual(expect.any(String));
      await expect.poll(() => rest.map((t) => t.sent.at(-1) === fresh), { timeout: 5000 }).toEqual([true, true]);
      const recoveredMs = Date.now() - closedAt;
      // Nobody sat out fetchTokenTimeoutMs: the lock passed on when the tab closed.
      expect(recoveredMs).toBeLessThan(fetchTokenTimeoutMs / 3);
      await sleep(300);
      expect(requestsOf('alice').length).toBe(logins + 2);
      for (const s of await states(rest)) {
        expect(s).toMatchObject({ status: 'connected', error: null });
        expect(s.tokenStatus).not.toBe('refreshing');
        expect(expSeconds(s)).toBe(decodeToken(fresh).exp);
      }
      for (const tab of rest) expect(await disconnects(tab)).toEqual([]);
      console.info(`[cross-tab] holder closed mid-fetch: the other tabs were on a new token ${recoveredMs} ms later`);
    } finally {
      await context.unroute('**/dev/token?*', hold.route);
    }
  });

  it('the fetching tab hangs but stays open: it gives up at fetchTokenTimeoutMs (the default), then one call serves all three', async () => {
    const tabs = await openTabs('alice', 3);
    const logins = requestsOf('alice').length;
    const hold = holdFirstTokenRequest('alice');
    await context.route('**/dev/token?*', hold.route);
    try {
      const startedAt = Date.now();
      // What the tabs' refresh timers do when their shared expiry comes, all at once.
      // (A failing assertion closes the pages with these pending: each settles either way.)
      const outcomes = tabs.map((t) =>
        t.page.evaluate(() => window.probe.refreshToken()).catch((err: Error) => `page closed: ${err.message}`),
      );
      await expect.poll(() => hold.held !== null, { timeout: 5000 }).toBe(true);
      const holder = tabs.find((t) => t.page === hold.held?.frame().page()) as Tab;
      await sleep(1000);
      expect(requestsOf('alice').length).toBe(logins + 1);
      expect((await states(tabs)).map((s) => s.tokenStatus)).toEqual(['refreshing', 'refreshing', 'refreshing']);

      expect(await outcomes[tabs.indexOf(holder)]).toBe('error:client:fetch_token_failed');
      const gaveUpMs = Date.now() - startedAt;
      expect(gaveUpMs).toBeGreaterThanOrEqual(fetchTokenTimeoutMs - 100);
      await Promise.all(outcomes); // each settles: a token, or its own deadline
      // Then the retry (1 s on the backoff schedule, or the token of a tab whose deadline came later).
      await expect.poll(() => requestsOf('alice').length, { timeout: 5000 }).toBe(logins + 2);
      const fresh = await requestsOf('alice')[logins + 1]?.token;
      expect(fresh).toEqual(expect.any(String));
      await expect.poll(() => tabs.map((t) => t.sent.at(-1) === fresh), { timeout: 5000 }).toEqual([true, true, true]);
      const doneMs = Date.now() - startedAt;
      expect(doneMs).toBeLessThan(fetchTokenTimeoutMs + 5000);
      await sleep(1000); // past any retry still scheduled (1 s after the deadline)
      expect(requestsOf('alice').length).toBe(logins + 2);
      for (const s of await states(tabs)) {
        expect(s).toMatchObject({ status: 'connected', error: null });
        expect(s.tokenStatus).not.toBe('refreshing');
      }
      console.info(
        `[cross-tab] holder hung: it gave up after ${gaveUpMs} ms, all three were on one new token after ${doneMs} ms`,
      );
    } finally {
      await context.unroute('**/dev/token?*', hold.route);
    }
  });

  it('sign-out in one tab: all three idle, sockets closed, disconnect(CLIENT_DISCONNECTED), within 100 ms', async () => {
    const tabs = await openTabs('alice', 3);
    await expect.poll(() => server.stats().connections).toBe(3);
    const before = server.stats(); // sessions of earlier tests' closed tabs wait out their resume window
    const [first] = tabs as [Tab];
    const askedAt = await first.page.evaluate(() => window.probe.logout());
    await expect
      .poll(async () => (await states(tabs)).map((s) => s.status), { timeout: 5000 })
      .toEqual(['idle', 'idle', 'idle']);
    await expect.poll(async () => (await Promise.all(tabs.map(socketsClosedAt))).flat().includes(null)).toBe(false);

    const figures = await Promise.all(
      tabs.map((t) =>
        t.page.evaluate(() => {
          const p = window.probe;
          return {
            idleAt: p.events.find((e) => e.name === 'status' && e.detail === 'idle')?.at ?? null,
            disconnectAt: p.events.find((e) => e.name === 'disconnect')?.at ?? null,
            closedAt: Math.max(...p.sockets.map((s) => s.closedAt ?? Number.POSITIVE_INFINITY)),
          };
        }),
      ),
    );
    for (const tab of tabs) expect(await disconnects(tab)).toEqual(['CLIENT_DISCONNECTED']);
    for (const s of await states(tabs)) expect(s).toMatchObject({ status: 'idle', sessionId: null });
    const others = figures.slice(1);
    const idleMs = Math.max(...others.map((f) => (f.idleAt ?? Number.POSITIVE_INFINITY) - askedAt));
    const disconnectMs = Math.max(...others.map((f) => (f.disconnectAt ?? Number.POSITIVE_INFINITY) - askedAt));
    const closedMs = Math.max(...others.map((f) => f.closedAt - askedAt));
    console.info(
      `[cross-tab] sign-out reached the other two tabs: idle after ${idleMs} ms, disconnect after ${disconnectMs} ms, ` +
        `their sockets closed after ${closedMs} ms (goal ${signOutGoalMs} ms)`,
    );
    expect(idleMs).toBeLessThan(signOutBoundMs);
    expect(disconnectMs).toBeLessThan(signOutBoundMs);
    expect(closedMs).toBeLessThan(signOutBoundMs);
    // The server agrees: no connection of theirs, and their sessions were logged out, not left waiting.
    await expect
      .poll(() => server.stats())
      .toEqual({ sessions: before.sessions - 3, connections: 0, waiting: before.waiting });
  });

  it('a tab of another user in the same context is unaffected: never gets her token, stays connected through her refresh and sign-out', async () => {
    const bob = await openTab('bob');
    const bobAtStart = await state(bob);
    const alice = await openTabs('alice', 3);
    const logins = requestsOf('alice').length;
    // The dev route mints the same JWT for one user, lifetime and second: refresh in the next second.
    await sleep(1050 - (Date.now() % 1000));
    expect(await (alice[1] as Tab).page.evaluate(() => window.probe.refreshToken())).toBeNull();
    expect(requestsOf('alice')).toHaveLength(logins + 1);
    const fresh = await requestsOf('alice')[logins]?.token;
    await expect.poll(() => alice.map((t) => t.sent.at(-1) === fresh), { timeout: 5000 }).toEqual([true, true, true]);
    await (alice[0] as Tab).page.evaluate(() => window.probe.logout());
    await expect
      .poll(async () => (await states(alice)).map((s) => s.status), { timeout: 5000 })
      .toEqual(['idle', 'idle', 'idle']);
    await sleep(300);

    expect(await state(bob)).toMatchObject({
      status: 'connected',
      userId: 'bob',
      sessionId: bobAtStart.sessionId,
      tokenExpiresAt: bobAtStart.tokenExpiresAt,
      error: null,
    });
    expect(await disconnects(bob)).toEqual([]);
    expect(await socketsClosedAt(bob)).toEqual([null]);
    expect(bob.sent.map((t) => decodeToken(t).sub)).toEqual(['bob']); // his login token, nothing else
    expect(requestsOf('bob')).toHaveLength(1);
    await expect.poll(() => server.stats().connections).toBe(1);
  });
});
