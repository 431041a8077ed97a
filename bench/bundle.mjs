// Bundle sizes, min + gzip, React external, measured with esbuild the way an app bundler would
// include each library. Ours and the peers in one run. `--check` enforces bench/budgets.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const alias = {
  '@nexmo-session/core': `${root}packages/core/src/index.ts`,
  '@nexmo-session/react': `${root}packages/react/src/index.ts`,
};
const cssGzip = gzipSync(readFileSync(`${root}packages/react/src/styles.css`), { level: 9 }).length;

const entries = [
  [
    'nexmo-session hooks-only (SessionProvider + useConnectionStatus + webSocketTransport)',
    `export { SessionProvider, useConnectionStatus } from '@nexmo-session/react'; export { webSocketTransport } from '@nexmo-session/core';`,
    0,
    'hooks',
  ],
  [
    'nexmo-session full kit (+ components, engine, CSS)',
    `export * from '@nexmo-session/react'; export * from '@nexmo-session/core';`,
    cssGzip,
    'full',
  ],
  ['react-use-websocket', `export { default, useWebSocket } from 'react-use-websocket';`, 0],
  ['partysocket/react', `export * from 'partysocket/react';`, 0],
  ['socket.io-client', `export { io } from 'socket.io-client';`, 0],
  ['ably + ably/react', `export * from 'ably'; export * from 'ably/react';`, 0],
  [
    '@liveblocks/client + @liveblocks/react',
    `export * from '@liveblocks/client'; export * from '@liveblocks/react';`,
    0,
  ],
  ['nexmo-client', `export { default } from 'nexmo-client';`, 0],
];

async function measure(contents) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    alias,
    external: ['react', 'react-dom', 'react/jsx-runtime', 'react-dom/client'],
    define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const rows = [];
for (const [name, contents, extraGzip, key] of entries) {
  const { min, gzip } = await measure(contents);
  rows.push({ name, key, minKb: min / 1000, gzipKb: (gzip + extraGzip) / 1000 });
}

const pad = (s, n) => String(s).padEnd(n);
console.log(
  `\nBundle size (esbuild, minified, gzip -9, react external) — ${new Date().toISOString().slice(0, 10)}, node ${process.version}\n`,
);
console.log(`${pad('library', 86)} ${pad('min kB', 8)} min+gz kB`);
for (const r of rows) console.log(`${pad(r.name, 86)} ${pad(r.minKb.toFixed(1), 8)} ${r.gzipKb.toFixed(1)}`);

if (!process.argv.includes('--check')) {
  // Only `npm run bench` records results; the size check inside `npm test` must not touch the tree.
  writeFileSync(`${root}bench/results/bundle.json`, `${JSON.stringify(rows, null, 2)}\n`);
} else {
  const budgets = JSON.parse(readFileSync(`${root}bench/budgets.json`, 'utf8'));
  let failed = false;
  for (const r of rows.filter((x) => x.key)) {
    const budget = budgets[r.key];
    const ok = r.gzipKb <= budget;
    failed ||= !ok;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${r.key}: ${r.gzipKb.toFixed(2)} kB min+gz (budget ${budget} kB)`);
  }
  process.exit(failed ? 1 : 0);
}
