/**
 * The playground as a newcomer first meets it: a quiet console, a phone-width layout, the
 * devtools panel, a dark theme. Screenshots at 1280 and 375 px, light and dark, land in
 * artifacts/playground/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionServer } from '../packages/server/src/server.js';
import { artifacts, axeViolations, buildPlayground, launch, serveStatic, signIn, startDevServer } from './harness.js';

let browser: Browser;
let app: { url: string; close(): Promise<void> };
let server: SessionServer;
let serverUrl: string;
const pages: Page[] = [];
const shots = join(artifacts, '../playground');

beforeAll(async () => {
  await buildPlayground();
  [browser, app, server] = await Promise.all([launch(), serveStatic(), startDevServer()]);
  serverUrl = `http://127.0.0.1:${server.port}`;
  mkdirSync(shots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await server?.close();
});
afterEach(async () => {
  for (const page of pages.splice(0)) await page.close();
});

/** A page that records everything the console reports as an error or a warning. */
async function open(width: number, colorScheme: 'light' | 'dark' = 'light') {
  const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme });
  pages.push(page);
  const noise: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') noise.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => noise.push(`pageerror: ${e.message}`));
  return { page, noise };
}

const drop = (sub: string) => fetch(`${serverUrl}/dev/drop?sub=${sub}`, { method: 'POST' });
/** The devtools' event timeline, newest first, as "name detail" lines. */
const timeline = (page: Page) =>
  page.locator('.nxs-devtools__event').evaluateAll((items) =>
    items.map((li) =>
      [...li.querySelectorAll('.nxs-devtools__event-name, .nxs-devtools__event-detail')]
        .map((el) => el.textContent)
        .filter(Boolean)
        .join(' '),
    ),
  );

describe('the playground as a newcomer meets it', () => {
  it('goes offline and back without a single console error or warning', async () => {
    const { page, noise } = await open(1100);
    await signIn(page, app.url, serverUrl, { sub: 'olivia' });
    await page.getByRole('button', { name: 'Go offline' }).click();
    await page.locator('.nxs-banner[data-state="offline"]').waitFor();
    await page.waitForTimeout(1500); // long enough for several fast-schedule attempts, if any were made
    await page.getByRole('button', { name: 'Go online' }).click();
    await page.locator('.nxs-badge[data-state="connected"]').waitFor();
    await page.locator('.nxs-banner[data-state="offline"]').waitFor({ state: 'detached' });
    expect(noise).toEqual([]);
  });

  it('at 375 px: nothing overflows sideways and the session id wraps at most once', async () => {
    const { page } = await open(375);
    await signIn(page, app.url, serverUrl, { sub: 'pia' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const id = page.getByTestId('session-id');
    const box = await id.evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return { lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size, width: el.clientWidth };
    });
    expect(box.lines).toBeLessThanOrEqual(2);
    expect(box.width).toBeGreaterThan(250); // one character per line was 14 px wide
    // The devtools' one-column layout gives the event list a height (it once collapsed to 0 px).
    // And the store below it starts where the list ends (it once overlapped the list).
    const [list, store] = await Promise.all(
      ['.nxs-devtools__timeline', '.nxs-devtools__table'].map((s) =>
        page.locator(s).evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect),
      ),
    );
    expect(list?.height).toBeGreaterThan(30);
    expect(store?.top).toBeGreaterThanOrEqual((list?.bottom ?? Number.POSITIVE_INFINITY) - 1);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('the devtools panel is open from the start: newest event first, machine state, Escape closes it', async () => {
    const { page } = await open(1100);
    await signIn(page, app.url, serverUrl, { sub: 'quinn' });
    const panel = page.getByRole('region', { name: 'Session devtools' });
    await panel.waitFor();
    await expect.poll(() => panel.getByTestId('machine-state').textContent()).toBe('@ok.connected');
    await drop('quinn');
    await page.locator('.nxs-badge[data-state="reconnecting"]').waitFor();
    await page.locator('.nxs-badge[data-state="connected"]').waitFor();
    await expect.poll(async () => (await timeline(page))[0]).toBe('status connected');
    const events = await timeline(page);
    expect(events.indexOf('disconnect CONNECTION_FAILED')).toBeGreaterThan(events.indexOf('reconnecting 1'));
    expect(events.indexOf('reconnecting 1')).toBeGreaterThan(0);
    // The page stays usable above the panel: the fault buttons are still reachable.
    await page.getByRole('button', { name: 'Go offline' }).click();
    await page.locator('.nxs-banner[data-state="offline"]').waitFor();
    await expect.poll(() => panel.getByTestId('notice').textContent()).toBe('offline');
    await page.getByRole('button', { name: 'Go online' }).click();
    await page.locator('.nxs-badge[data-state="connected"]').waitFor();
    await panel.getByRole('button', { name: 'Clear events' }).focus();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Session devtools');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('crossTab: "Open in another tab" signs the same user in there, and signing out in one tab signs out both', async () => {
    const { page, noise } = await open(1100);
    await signIn(page, app.url, serverUrl, { sub: 'sam', crossTab: true });
    const [second] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('link', { name: 'Open sam in another tab' }).click(),
    ]);
    pages.push(second);
    second.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') noise.push(`second tab ${m.type()}: ${m.text()}`);
    });
    await second.locator('.nxs-badge[data-state="connected"]').waitFor();
    expect(await second.getByTestId('user').textContent()).toBe('sam');
    expect(await second.getByTestId('cross-tab').textContent()).toBe('share tokens and sign-out');
    expect(await second.getByTestId('session-id').textContent()).not.toBe(
      await page.getByTestId('session-id').textContent(),
    );
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The other tab was signed out too, and shows the sign-in form again.
    await second.getByRole('button', { name: 'Sign in with a dev token' }).waitFor({ timeout: 5000 });
    await page.getByRole('button', { name: 'Sign in with a dev token' }).waitFor();
    expect(noise).toEqual([]);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`${colorScheme} theme at 1280 and 375 px (screenshots, axe)`, async () => {
      for (const width of [1280, 375]) {
        const { page, noise } = await open(width, colorScheme);
        await page.goto(`${app.url}/?server=${encodeURIComponent(serverUrl)}&fast=1`);
        await page.screenshot({ path: join(shots, `${width}-${colorScheme}-0-sign-in.png`), fullPage: true });
        await signIn(page, app.url, serverUrl, { sub: `ray${width}${colorScheme}` });
        await page.getByLabel('Message').fill('hello from the playground');
        await page.getByRole('button', { name: 'Send', exact: true }).click();
        await page.getByTestId('chat').locator('li').first().waitFor();
        const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
        const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number) as [number, number, number];
        const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
        if (colorScheme === 'dark') expect(luminance).toBeLessThan(0.2);
        else expect(luminance).toBeGreaterThan(0.8);
        expect(await axeViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `${width}-${colorScheme}-1-connected.png`), fullPage: true });

        await fetch(`${serverUrl}/dev/pause?ms=2500`, { method: 'POST' });
        await page.locator('.nxs-banner[data-state="reconnecting"]').waitFor();
        await page.screenshot({ path: join(shots, `${width}-${colorScheme}-2-reconnecting.png`), fullPage: true });
        await page.locator('.nxs-badge[data-state="connected"]').waitFor({ timeout: 10_000 });
        expect(noise.filter((n) => !/503/.test(n))).toEqual([]); // the pause answers upgrades with 503, by design
      }
    });
  }
});
