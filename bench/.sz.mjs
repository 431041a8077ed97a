import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const entry = `export { webSocketTransport } from './packages/core/src/index.ts'; export { SessionProvider, useConnectionStatus } from './packages/react/src/index.ts';`;
const r = await build({
  stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' },
  bundle: true,
  minify: true,
  write: false,
  format: 'esm',
  platform: 'browser',
  metafile: true,
  external: ['react', 'react-dom', 'react/jsx-runtime'],
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: { '@nexmo-session/core': './packages/core/src/index.ts' },
});
const out = r.outputFiles[0].contents;
console.log('total min', out.length, 'gz', gzipSync(out).length);
const o = Object.values(r.metafile.outputs)[0];
const rows = Object.entries(o.inputs)
  .map(([k, v]) => [k, v.bytesInOutput])
  .sort((a, b) => b[1] - a[1]);
for (const [k, v] of rows.slice(0, 30)) console.log(String(v).padStart(7), k);
const text = new TextDecoder().decode(out);
const strings = text.match(/(["'`])(?:\\.|(?!\1).)*\1/g) ?? [];
const total = strings.reduce((n, s) => n + s.length, 0);
console.log('string literal bytes', total, 'count', strings.length);
const big = [...new Set(strings)].sort((a, b) => b.length - a.length).slice(0, 40);
for (const s of big) console.log(s.length, s.slice(0, 120));
const gzNoStrings = gzipSync(Buffer.from(text.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""'))).length;
console.log('gz without string contents', gzNoStrings);
