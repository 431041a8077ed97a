/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests and the playground run against the sources, not dist, so no build step sits in between.
export const alias = [
  { find: /^@nexmo-session\/react\/styles\.css$/, replacement: src('./packages/react/src/styles.css') },
  { find: /^@nexmo-session\/core\/testing$/, replacement: src('./packages/core/src/testing.ts') },
  { find: /^@nexmo-session\/core\/nexmo-client$/, replacement: src('./packages/core/src/entries/nexmo-client.ts') },
  {
    find: /^@nexmo-session\/core\/vonage-client-sdk$/,
    replacement: src('./packages/core/src/entries/vonage-client-sdk.ts'),
  },
  { find: /^@nexmo-session\/core$/, replacement: src('./packages/core/src/index.ts') },
  { find: /^@nexmo-session\/react$/, replacement: src('./packages/react/src/index.ts') },
  { find: /^@nexmo-session\/server$/, replacement: src('./packages/server/src/index.ts') },
];

/** The reference server `npm start` runs beside the playground. */
export const devServerPort = 8787;

export default defineConfig({
  // The playground is the app this config serves and builds; tests use the projects below.
  root: src('./playground'),
  plugins: [react()],
  resolve: { alias },
  server: {
    port: 5173,
    strictPort: false,
    proxy: {
      '/ws': { target: `ws://127.0.0.1:${devServerPort}`, ws: true },
      '/dev': { target: `http://127.0.0.1:${devServerPort}` },
      '/healthz': { target: `http://127.0.0.1:${devServerPort}` },
    },
  },
  build: { outDir: src('./playground/dist'), emptyOutDir: true },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'core',
          root: src('./packages/core'),
          environment: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'server',
          root: src('./packages/server'),
          environment: 'node',
          include: ['test/**/*.test.ts'],
          testTimeout: 30_000,
          // The leak test forces garbage collection before it reads the heap.
          execArgv: ['--expose-gc'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'react',
          root: src('./packages/react'),
          environment: 'jsdom',
          include: ['src/**/*.test.tsx', 'test/**/*.test.tsx'],
          exclude: ['**/*.ssr.test.tsx', '**/node_modules/**'],
          setupFiles: ['./test/setup.ts'],
          testTimeout: 15_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'react-ssr',
          root: src('./packages/react'),
          environment: 'node',
          include: ['test/**/*.ssr.test.tsx'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          root: src('.'),
          environment: 'node',
          include: ['e2e/**/*.e2e.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
