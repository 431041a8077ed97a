// `npm run test:example`: examples/vite-react as an outside developer gets it. Not the workspace:
//   1. `npm pack` the three (already built) packages into a temporary folder;
//   2. copy the example next to them and point its @nexmo-session dependencies at the tarballs;
//   3. `npm install` there (from the npm cache when it can), and check the packages are real
//      folders, not links back into the repository;
//   4. type-check (`strict`, `skipLibCheck: false`: the published .d.ts files are checked too)
//      and `vite build`;
//   5. start the CLI from the installed tarball (`nexmo-session-server --dev`), serve the build,
//      and in Chromium: connected → SIGKILL the server → the banner counts attempts
//      ("attempt n of 5") → start the server again on the same port → connected (a new session:
//      the killed server kept its sessions in memory).
// `--keep` leaves the temporary folder for a look.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const step = (text) => console.log(`[example ${elapsed()}] ${text}`);
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const work = mkdtempSync(join(tmpdir(), 'nexmo-session-example-'));
const cleanups = [];
let failed = false;
try {
  for (const name of ['core', 'react', 'server']) {
    if (!existsSync(join(root, 'packages', name, 'dist')))
      throw new Error(`packages/${name}/dist is missing: run npm run build first`);
  }

  step('packing the packages');
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  const packed = {};
  for (const name of ['core', 'react', 'server']) {
    const [info] = JSON.parse(
      run('npm', ['pack', '--json', '--pack-destination', tarballs], join(root, 'packages', name)),
    );
    packed[info.name] = join(tarballs, info.filename);
  }

  step('installing them into a copy of examples/vite-react');
  const app = join(work, 'app');
  cpSync(join(root, 'examples/vite-react'), app, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|dist)([/\\]|$)/.test(src.slice(root.length)),
  });
  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
  for (const deps of [manifest.dependencies, manifest.devDependencies]) {
    for (const dep of Object.keys(deps)) if (packed[dep]) deps[dep] = `file:${packed[dep]}`;
  }
  // The tarballs' own dependency on core must resolve to the tarball too, not the registry.
  manifest.overrides = { '@nexmo-session/core': `file:${packed['@nexmo-session/core']}` };
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel', 'error'], app);
  for (const dep of Object.keys(packed)) {
    const dir = join(app, 'node_modules', dep);
    if (lstatSync(dir).isSymbolicLink()) throw new Error(`${dep} was installed as a link, not from its tarball`);
  }

  step('type-checking (strict, skipLibCheck: false)');
  try {
    run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
  } catch (err) {
    throw new Error(`tsc failed in the example:\n${err.stdout}${err.stderr}`);
  }

  step('vite build');
  run(process.execPath, [join(app, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], app);

  const port = await freePort();
  const cli = join(app, 'node_modules/@nexmo-session/server/bin/nexmo-session-server.js');
  const startServer = async () => {
    const child = spawn(process.execPath, [cli, '--dev', '--port', String(port)], {
      cwd: app,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));
    let out = '';
    await new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`the CLI did not start within 10 s:\n${out}`)), 10_000);
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('listening on')) {
          clearTimeout(timer);
          ok();
        }
      });
      child.stderr.on('data', (d) => {
        out += d;
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`the CLI exited (${code}):\n${out}`));
      });
    });
    return child;
  };
  step(`starting nexmo-session-server --dev on ${port} (from the tarball)`);
  let server = await startServer();
  const serverUrl = `http://127.0.0.1:${port}`;
  const token = await fetch(`${serverUrl}/dev/token?sub=probe&ttl=60`).then((r) => r.json());
  if (typeof token.token !== 'string' || token.sub !== 'probe' || typeof token.expiresAt !== 'number') {
    throw new Error(`GET /dev/token answered ${JSON.stringify(token)}`);
  }
  const site = await serveStatic(join(app, 'dist'));
  cleanups.push(site.close);

  step('Chromium: connected → kill the server → attempts → restart → connected');
  const browser = await chromium.launch({
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
  cleanups.push(() => browser.close());
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${site.url}/?server=${encodeURIComponent(serverUrl)}`);
  const status = page.getByTestId('status');
  await page.locator('[data-testid="status"][data-state="connected"]').waitFor({ timeout: 10_000 });
  const firstSession = await page.getByTestId('session-id').textContent();

  server.kill('SIGKILL');
  await new Promise((r) => server.once('exit', r));
  const killedAt = Date.now();
  await page.locator('.nxs-banner[data-state="reconnecting"]').waitFor({ timeout: 10_000 });

  // Read the banner and the store (through the app's hook) in one go, every 50 ms, until the
  // banner has counted at least two attempts.
  const seen = [];
  while (Date.now() - killedAt < 20_000) {
    const now = await page.evaluate(() => ({
      text: document.querySelector('.nxs-banner')?.textContent ?? '',
      state: document.querySelector('.nxs-banner')?.getAttribute('data-state'),
      retryCount: Number(document.querySelector('[data-testid="status"]')?.getAttribute('data-retry-count')),
    }));
    const m = /attempt (\d+) of 5/.exec(now.text);
    if (now.state === 'reconnecting' && !m)
      throw new Error(`the reconnecting banner shows no "attempt n of 5": "${now.text}"`);
    if (m) {
      const n = Number(m[1]);
      // Either the attempt running now (retryCount) or the one being waited for (retryCount + 1).
      if (n !== now.retryCount && n !== now.retryCount + 1) {
        throw new Error(
          `the banner says attempt ${n} while the store's retryCount is ${now.retryCount}: "${now.text}"`,
        );
      }
      if (n !== seen.at(-1)) seen.push(n);
    }
    if (new Set(seen).size >= 2) break;
    await page.waitForTimeout(50);
  }
  if (new Set(seen).size < 2)
    throw new Error(`the banner never counted two attempts; it showed ${seen.join(', ') || 'none'}`);
  if (seen.some((n, i) => i > 0 && n < seen[i - 1])) throw new Error(`the attempt numbers went backwards: ${seen}`);
  step(
    `banner counted attempts ${seen.join(' → ')} of 5 (${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill)`,
  );

  server = await startServer();
  const restartedAt = Date.now();
  await page.locator('[data-testid="status"][data-state="connected"]').waitFor({ timeout: 25_000 });
  const secondSession = await page.getByTestId('session-id').textContent();
  const bannerAfter = await page.locator('.nxs-banner').getAttribute('data-state');
  step(
    `connected again ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart: ` +
      `${secondSession === firstSession ? 'same' : 'new'} session, banner "${bannerAfter}", status "${await status.textContent()}"`,
  );
  // The in-memory server forgot the session when it died: the app must say the session is new,
  // and must not blame an expiry that never happened (a restart is not a token problem).
  if (secondSession === firstSession)
    throw new Error('the restarted in-memory server resumed a session it cannot know');
  const lostText = (await page.locator('.nxs-banner').textContent()) ?? '';
  if (bannerAfter !== 'session-lost' || /expire/i.test(lostText)) {
    throw new Error(
      `after the restart the banner should say the session could not be resumed: "${bannerAfter}" "${lostText}"`,
    );
  }
  if (pageErrors.length > 0) throw new Error(`errors in the page: ${pageErrors.join('; ')}`);
  step('ok');
} catch (err) {
  failed = true;
  console.error(`test:example failed: ${err.stack ?? err}`);
} finally {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

async function serveStatic(dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  const srv = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file) || lstatSync(file).isDirectory()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${srv.address().port}`,
    close: () =>
      new Promise((r) => {
        srv.closeAllConnections();
        srv.close(() => r());
      }),
  };
}
