// Bundle sizes, min + gzip, React external, measured with esbuild the way an app bundler would
// include each library: ours (the built packages, through the same entries size-limit checks in
// `npm test`), what our bytes are made of, and the peers, all in one run.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import checks, { targets } from '../.size-limit.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const react = ['react', 'react-dom', 'react/jsx-runtime', 'react-dom/client'];

async function measure(input, alias = {}, ignore = []) {
  const result = await build({
    alias,
    ...(input.endsWith('.js')
      ? { entryPoints: [`${root}${input}`] }
      : { stdin: { contents: input, resolveDir: root, loader: 'ts' } }),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    outdir: `${root}artifacts/bundle`,
    metafile: true,
    external: [...react, ...ignore],
    define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const min = result.outputFiles.reduce((sum, f) => sum + f.contents.length, 0);
  const gzip = result.outputFiles.reduce((sum, f) => sum + gzipSync(f.contents, { level: 9 }).length, 0);
  // Every input's bytes in the output, across the JS and (for the full kit) the CSS file.
  const inputs = Object.assign({}, ...Object.values(result.metafile.outputs).map((o) => o.inputs));
  return { min, gzip, inputs };
}

/** Which part of the kit a bundled file belongs to, for the "made of" table. */
function partOf(file) {
  if (file.includes('reconnecting-websocket')) return 'reconnecting-websocket (required by design §2.5)';
  if (file.includes('zustand')) return 'zustand/vanilla (required by design §2.1)';
  if (file.includes('packages/react') && file.endsWith('.css')) return 'styles.css';
  if (file.includes('packages/react')) return '@nexmo-session/react (provider, hooks, components)';
  if (file.includes('packages/core') && file.includes('websocket')) return '@nexmo-session/core WebSocket transport';
  if (file.includes('packages/core')) return '@nexmo-session/core engine (store, timers, tokens, outbox, options)';
  return 'other';
}

const kb = (bytes) => (bytes / 1000).toFixed(1);
const pad = (s, n) => String(s).padEnd(n);

const ours = [];
for (const check of checks) {
  const m = await measure(check.path, {}, check.ignore ?? []);
  ours.push({ name: check.name, path: check.path, limit: check.limit, ...m });
}

const peers = [
  [
    'contract floor: reconnecting-websocket + zustand/vanilla',
    `export { default } from 'reconnecting-websocket'; export { createStore } from 'zustand/vanilla';`,
  ],
  ['react-use-websocket', `export { default, useWebSocket } from 'react-use-websocket';`],
  ['partysocket/react', `export * from 'partysocket/react';`],
  ['socket.io-client', `export { io } from 'socket.io-client';`],
  ['ably + ably/react', `export * from 'ably'; export * from 'ably/react';`],
  ['@liveblocks/client + @liveblocks/react', `export * from '@liveblocks/client'; export * from '@liveblocks/react';`],
  ['nexmo-client', `export { default } from 'nexmo-client';`],
];
const rows = [];
for (const [name, contents] of peers) {
  const { min, gzip } = await measure(contents);
  rows.push({ name, minKb: min / 1000, gzipKb: gzip / 1000 });
}

const date = new Date().toISOString().slice(0, 10);
console.log(`\nBundle size (esbuild, minified, gzip -9, react external) — ${date}, node ${process.version}\n`);
console.log(`${pad('library', 88)} ${pad('min kB', 8)} ${pad('min+gz kB', 10)} ${pad('enforced', 9)} target`);
for (const r of ours) {
  console.log(
    `${pad(`nexmo-session ${r.name}`, 88)} ${pad(kb(r.min), 8)} ${pad(kb(r.gzip), 10)} ${pad(r.limit, 9)} ${targets[r.path] ?? '—'}`,
  );
}
for (const r of rows) console.log(`${pad(r.name, 88)} ${pad(r.minKb.toFixed(1), 8)} ${r.gzipKb.toFixed(1)}`);

// What the hooks-only bundle is made of: minified bytes per part, and each part's share. The
// built packages are single files, so this one build resolves the same imports to the sources.
const fromSources = await measure(
  `export { SessionProvider, useConnectionStatus } from '@nexmo-session/react'; export { webSocketTransport } from '@nexmo-session/core';`,
  {
    '@nexmo-session/core': `${root}packages/core/src/index.ts`,
    '@nexmo-session/react': `${root}packages/react/src/index.ts`,
  },
);
const parts = new Map();
for (const [file, { bytesInOutput }] of Object.entries(fromSources.inputs)) {
  parts.set(partOf(file), (parts.get(partOf(file)) ?? 0) + bytesInOutput);
}
const total = [...parts.values()].reduce((a, b) => a + b, 0);
console.log(`\nWhat the hooks-only bundle is made of (minified, before gzip)\n`);
console.log(`${pad('part', 60)} ${pad('min kB', 8)} share`);
for (const [part, bytes] of [...parts].filter(([, b]) => b > 0).sort((a, b) => b[1] - a[1])) {
  console.log(`${pad(part, 60)} ${pad(kb(bytes), 8)} ${Math.round((bytes / total) * 100)}%`);
}

writeFileSync(
  `${root}bench/results/bundle.json`,
  `${JSON.stringify(
    {
      date,
      ours: ours.map((r) => ({
        name: r.name,
        minKb: r.min / 1000,
        gzipKb: r.gzip / 1000,
        limit: r.limit,
        target: targets[r.path],
      })),
      hooksOnlyParts: Object.fromEntries([...parts].map(([k, v]) => [k, v / 1000])),
      peers: rows,
    },
    null,
    2,
  )}\n`,
);
