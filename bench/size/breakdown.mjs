// Where the bytes of the two budgeted bundles go, module by module, built from the sources (so it
// needs no build). `node bench/size/breakdown.mjs [--json file]`.
//
// The figures: `min` is each module's minified bytes in the bundle (esbuild's metafile); `gz share`
// splits the bundle's gzip size in proportion to them (gzip is not additive; this is an estimate
// that sums to the total). `strings` is the bytes of string and template literals in the module's
// minified output, the part the minifier cannot shorten. The totals at the top of each table are
// exact and track what `npx size-limit` reports on the built packages within ~0.2 kB. Like
// size-limit, the kits leave out crossTab's chunk (loaded only when the option is on).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const react = ['react', 'react-dom', 'react/jsx-runtime', 'react-dom/client'];
const alias = {
  '@nexmo-session/core': `${root}packages/core/src/index.ts`,
  '@nexmo-session/react': `${root}packages/react/src/index.ts`,
};

const bundles = {
  'hooks-only': `export { SessionProvider, useConnectionStatus } from '@nexmo-session/react'; export { webSocketTransport } from '@nexmo-session/core';`,
  'full kit': `import '${root}packages/react/src/styles.css'; export * from '@nexmo-session/core'; export * from '@nexmo-session/react';`,
  'core only (createSession + webSocketTransport)': `export { createSession, webSocketTransport } from '@nexmo-session/core';`,
};

/** crossTab's code is a dynamic import, a chunk of its own: kept out, as size-limit does. */
const lazyCrossTab = {
  name: 'lazy-cross-tab',
  setup(b) {
    b.onResolve({ filter: /[\\/]cross-tab\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined,
    );
  },
};

async function bundle(contents, minify = true) {
  return build({
    plugins: [lazyCrossTab],
    alias,
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify,
    format: 'esm',
    platform: 'browser',
    write: false,
    outdir: `${root}artifacts/breakdown`,
    metafile: true,
    external: react,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
}

/** Bytes of string/template literals in a minified JS text (a small scanner, good enough here). */
function stringBytes(js) {
  let bytes = 0;
  for (let i = 0; i < js.length; i++) {
    const q = js[i];
    if (q !== '"' && q !== "'" && q !== '`') continue;
    const start = i;
    for (i++; i < js.length && js[i] !== q; i++) if (js[i] === '\\') i++;
    bytes += i - start + 1;
  }
  return bytes;
}

/** Each module's minified text, built alone with the same settings (for the strings column). */
async function moduleStrings(file) {
  if (!/\.[cm]?[jt]sx?$/.test(file)) return 0;
  const r = await build({
    entryPoints: [`${root}${file}`],
    bundle: false,
    minify: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
    loader: { '.tsx': 'tsx' },
  }).catch(() => null);
  return r ? stringBytes(r.outputFiles[0].text) : 0;
}

const short = (file) =>
  file
    .replace(/^packages\//, '')
    .replace('/src/', '/')
    .replace(/^node_modules\//, '');
const kb = (b) => (b / 1000).toFixed(2);
const pad = (s, n, left = false) => (left ? String(s).padStart(n) : String(s).padEnd(n));

const report = {};
for (const [name, contents] of Object.entries(bundles)) {
  const result = await bundle(contents);
  const js = result.outputFiles.filter((f) => f.path.endsWith('.js'));
  const all = result.outputFiles;
  const min = all.reduce((s, f) => s + f.contents.length, 0);
  const gz = all.reduce((s, f) => s + gzipSync(f.contents, { level: 9 }).length, 0);
  const inputs = {};
  for (const out of Object.values(result.metafile.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(out.inputs)) {
      inputs[file] = (inputs[file] ?? 0) + bytesInOutput;
    }
  }
  const counted = Object.values(inputs).reduce((a, b) => a + b, 0);
  const rows = [];
  for (const [file, bytes] of Object.entries(inputs)) {
    if (bytes === 0) continue;
    rows.push({
      file: short(file),
      min: bytes,
      gz: Math.round((bytes / counted) * gz),
      strings: await moduleStrings(file),
    });
  }
  rows.sort((a, b) => b.min - a.min);
  const allStrings = stringBytes(js.map((f) => f.text).join(''));
  report[name] = { min, gz, strings: allStrings, modules: rows };

  console.log(`\n${name}: ${kb(min)} kB min, ${kb(gz)} kB min+gz (gzip -9), string literals ${kb(allStrings)} kB min`);
  console.log(`${pad('module', 52)} ${pad('min', 7, true)} ${pad('gz share', 9, true)} ${pad('strings*', 9, true)}`);
  for (const r of rows) {
    console.log(`${pad(r.file, 52)} ${pad(r.min, 7, true)} ${pad(r.gz, 9, true)} ${pad(r.strings, 9, true)}`);
  }
}
console.log('\n* strings: literal bytes in the module minified alone (includes ones tree-shaking drops).');

const json = process.argv.indexOf('--json');
if (json > 0) writeFileSync(process.argv[json + 1], `${JSON.stringify(report, null, 2)}\n`);
