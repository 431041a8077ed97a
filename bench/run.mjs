// Runs a TypeScript benchmark: esbuild bundles it (sources via the same aliases as the tests)
// and Node runs the result. Usage: node bench/run.mjs bench/renders.tsx
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = (p) => join(root, p);
// Inside the repository (git-ignored) so the bundle resolves node_modules like the sources do.
mkdirSync(join(root, 'bench/.build'), { recursive: true });
const out = join(root, 'bench/.build', `${basename(process.argv[2]).replace(/\.tsx?$/, '')}.mjs`);
await build({
  entryPoints: [process.argv[2]],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: out,
  packages: 'external',
  jsx: 'automatic',
  alias: {
    '@nexmo-session/core/testing': src('packages/core/src/testing.ts'),
    '@nexmo-session/core': src('packages/core/src/index.ts'),
    '@nexmo-session/react': src('packages/react/src/index.ts'),
    '@nexmo-session/server': src('packages/server/src/index.ts'),
  },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
try {
  execFileSync(process.execPath, ['--expose-gc', out, ...process.argv.slice(3)], { stdio: 'inherit', cwd: root });
} catch (err) {
  process.exit(err.status ?? 1);
}
