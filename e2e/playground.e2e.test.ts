/**
 * The playground in a real browser against the real server: the README's promise, end to end.
 * Screenshots of every state land in artifacts/e2e/ (git-ignored).
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionServer } from '../packages/server/src/server.js';
import {
  artifacts,
  axeViolations,
  bannerState,
  buildPlayground,
  launch,
  promptState,
  serveStatic,
  sessionId,
  signIn,
  startDevServer,
} from './harness.js';

let browser: Browser;
let app: { url: string; close(): Promise<void> };
let server: SessionServer;
let serverUrl: string;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  await buildPlayground();
  [browser, app, server] = await Promise.all([launch(), serveStatic(), startDevServer()]);
  serverUrl = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await server?.close();
});
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
});
afterEach(async () => {
  await page.close();
  expect(pageErrors.splice(0)).toEqual([]);
});

const shot = (name: string) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
const fault = (path: string) => fetch(`${serverUrl}/dev/${path}`, { method: 'POST' });
const chatLines = () => page.getByTestId('chat').locator('li').allTextContents();

async function sendChat(text: string) {
  await page.getByLabel('Message').fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/** Poll the banner's polite live region and collect every attempt number it announces. */
async function watchAttempts(untilState: string, timeoutMs: number): Promise<number[]> {
  const seen: number[] = [];
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const text = (await page.locator('.nxs-banner [role="status"]').textContent()) ?? '';
    const m = /attempt (\d) of 5/.exec(text);
    if (m && Number(m[1]) !== seen.at(-1)) seen.push(Number(m[1]));
    if ((await bannerState(page)) === untilState) return seen;
    await page.waitForTimeout(50);
  }
  throw new Error(`banner never reached ${untilState}; saw attempts ${seen}`);
}

describe('playground in Chromium against the reference server', () => {
  it('drop → reconnecting with attempt numbers → server back → same session, outage messages delivered once', async () => {
    await signIn(page, app.url, serverUrl);
    const id = await sessionId(page);
    await sendChat('before');
    await expect.poll(chatLines).toEqual(['alice: before']);
    expect(await axeViolations(page)).toEqual([]);
    await shot('01-connected');

    await fault('pause?ms=2500'); // drops the socket and refuses new ones for 2.5 s
    await page.locator('.nxs-banner[data-state="reconnecting"]').waitFor();
    await sendChat('during-1');
    await sendChat('during-2');
    expect(await page.getByTestId('outbox').textContent()).toBe('2');
    expect(await axeViolations(page)).toEqual([]);
    await shot('02-reconnecting');

    const attempts = await watchAttempts('reconnected', 8000);
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts).toEqual([...attempts].sort()); // announced in order
    await shot('03-reconnected');
    expect(await sessionId(page)).toBe(id);
    await expect.poll(chatLines).toEqual(['alice: before', 'alice: during-1', 'alice: during-2']);
    expect(await page.getByTestId('outbox').textContent()).toBe('0');
    await page.locator('.nxs-banner[data-state="hidden"]').waitFor({ state: 'attached', timeout: 5000 });
    await page.waitForTimeout(300);
    expect(await chatLines()).toEqual(['alice: before', 'alice: during-1', 'alice: during-2']); // none twice
    // The devtools' timeline, newest first.
    const timeline = await page.locator('.nxs-devtools__event').evaluateAll((items) =>
      items.map((li) =>
        [...li.querySelectorAll('.nxs-devtools__event-name, .nxs-devtools__event-detail')]
          .map((el) => el.textContent)
          .filter(Boolean)
          .join(' '),
      ),
    );
    const resumed = `session:resumed ${id}`;
    expect(timeline).toEqual(expect.arrayContaining(['disconnect CONNECTION_FAILED', 'reconnecting 1', resumed]));
    expect(timeline.indexOf('disconnect CONNECTION_FAILED')).toBeGreaterThan(timeline.indexOf('reconnecting 1'));
    expect(timeline.indexOf('reconnecting 1')).toBeGreaterThan(timeline.indexOf(resumed));
  });

  it('exhausted attempts → Reconnect → the same session resumes', async () => {
    await signIn(page, app.url, serverUrl, { sub: 'bob' });
    const id = await sessionId(page);
    await page.getByRole('button', { name: 'Start call' }).click();
    await fault('pause?ms=7500'); // longer than the whole fast schedule (6.2 s)
    await page.locator('.nxs-banner[data-state="failed"]').waitFor({ timeout: 12_000 });
    expect(await page.getByRole('alert').first().textContent()).toBe('Could not reconnect.');
    expect(await axeViolations(page)).toEqual([]);
    await shot('04-reconnection-failed');
    await page.waitForTimeout(1500); // the server is back
    await page.getByRole('button', { name: 'Reconnect' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('.nxs-banner[data-state="reconnected"]').waitFor();
    expect(await sessionId(page)).toBe(id);
    await expect(page.getByTestId('call').textContent()).resolves.toMatch(/In a call/); // the call survived
    await shot('05-resumed');
  });

  it('expired token → prompt → refresh → the same session resumes', async () => {
    await signIn(page, app.url, serverUrl, { sub: 'carol', autoRefresh: false });
    const id = await sessionId(page);
    await fault('expire-token?sub=carol');
    await page.locator('.nxs-token-prompt[data-state="expired"]').waitFor();
    expect(await page.getByRole('alert').first().textContent()).toMatch(/sign-in expired/);
    expect(await axeViolations(page)).toEqual([]);
    await shot('06-token-expired');
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await page.locator('.nxs-badge[data-state="connected"]').waitFor();
    expect(await promptState(page)).toBe('hidden');
    expect(await sessionId(page)).toBe(id);
    await shot('07-token-refreshed');
  });

  it('offline → banner says so; online → reconnects at once', async () => {
    await signIn(page, app.url, serverUrl, { sub: 'dave' });
    await page.getByRole('button', { name: 'Go offline' }).click();
    await page.locator('.nxs-banner[data-state="offline"]').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await shot('08-offline');
    const before = Date.now();
    await page.getByRole('button', { name: 'Go online' }).click();
    await page.locator('.nxs-badge[data-state="connected"]').waitFor();
    expect(Date.now() - before).toBeLessThan(1500);
  });
});
