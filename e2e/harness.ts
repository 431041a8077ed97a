/**
 * End-to-end harness: the built playground served from playground/dist, the reference server in
 * dev mode (in-process, real sockets on 127.0.0.1) and Debian's Chromium driven by playwright-core.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import type { SessionServer } from '../packages/server/src/server.js';
import { createSessionServer } from '../packages/server/src/server.js';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'playground/dist');
export const artifacts = join(root, 'artifacts/e2e');

const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

export async function buildPlayground(): Promise<void> {
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}

/** Serve a built app (default: the playground) on 127.0.0.1. */
export async function serveStatic(dir = dist): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export async function startDevServer(): Promise<SessionServer> {
  return createSessionServer({
    keys: { secret: 'e2e-dev-secret-0123456789abcdef' },
    dev: true,
    logger: () => {},
  });
}

export async function launch(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`No Chromium at ${chromiumPath}: install Debian's (apt-get install -y chromium); .ci/run does.`);
  }
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core inside the page (real layout, so colour contrast is checked too). */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run(ctx: Document): Promise<{ violations: { id: string; nodes: { html: string }[] }[] }> };
    };
    const result = await w.axe.run(document);
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
  });
}

export async function signIn(
  page: Page,
  appUrl: string,
  serverUrl: string,
  options: { sub?: string; ttl?: string; autoRefresh?: boolean; crossTab?: boolean } = {},
) {
  await page.goto(`${appUrl}/?server=${encodeURIComponent(serverUrl)}&fast=1`);
  await page.getByLabel('User').fill(options.sub ?? 'alice');
  if (options.ttl) await page.getByLabel('Token lifetime').selectOption(options.ttl);
  if (options.autoRefresh === false) await page.getByLabel(/Refresh tokens automatically/).uncheck();
  if (options.crossTab) await page.getByLabel(/other tabs \(crossTab\)/).check();
  await page.getByRole('button', { name: 'Sign in with a dev token' }).click();
  await page.locator('.nxs-badge[data-state="connected"]').waitFor();
}

export const bannerState = (page: Page) => page.locator('.nxs-banner').getAttribute('data-state');
export const promptState = (page: Page) => page.locator('.nxs-token-prompt').getAttribute('data-state');
export const sessionId = (page: Page) => page.getByTestId('session-id').textContent();
