// Screenshots of the built Storybook's docs pages, light and dark, into artifacts/ (git-ignored):
// `npm run build-storybook && node .storybook/screenshots.mjs [id-filter]`. Debian's Chromium through
// playwright-core, as everywhere else here (no browser downloads).
import { mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const root = 'storybook-static';
const out = 'artifacts/storybook';
const filter = process.argv[2] ?? '';
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

const server = createServer(async (req, res) => {
  let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  if (path.endsWith('/')) path += 'index.html';
  try {
    const body = await readFile(join(root, normalize(path).replace(/^(\.\.[/\\])+/, '')));
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8'));
const docs = Object.values(index.entries).filter((e) => e.type === 'docs' && e.id.includes(filter));

mkdirSync(out, { recursive: true });
const userDataDir = await mkdtemp(join(tmpdir(), 'nxs-shots-'));
const browser = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
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
  viewport: { width: 1200, height: 900 },
});
try {
  for (const entry of docs) {
    for (const theme of ['light', 'dark']) {
      const page = await browser.newPage();
      await page.emulateMedia({ colorScheme: theme });
      await page.goto(`${base}/iframe.html?id=${entry.id}&viewMode=docs&globals=theme:${theme}`);
      await page.waitForSelector('.sbdocs-content', { timeout: 30_000 });
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(1500); // stories on the page run their loaders and after-mount steps
      const file = join(out, `${entry.id}.${theme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
      // The top of the page (description, primary story, props table) at full resolution.
      const top = join(out, `${entry.id}.${theme}.top.png`);
      await page.screenshot({ path: top, fullPage: true, clip: { x: 0, y: 0, width: 1200, height: 1400 } });
      console.log(top);
      await page.close();
    }
  }
} finally {
  await browser.close();
  await rm(userDataDir, { recursive: true, force: true });
  server.close();
}
