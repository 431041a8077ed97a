import { defineConfig } from 'tsup';

export default defineConfig({
  // The devtools are their own entry, so no app bundles them unless it imports them. They share
  // the provider's React context with the main entry: `splitting` puts such modules in a chunk
  // both entries import (for CommonJS too), never in two copies.
  entry: { index: 'src/index.ts', devtools: 'src/devtools/index.ts' },
  splitting: true,
  external: ['react', 'react/jsx-runtime', '@nexmo-session/core'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  treeshake: true,
});
