/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import type { Plugin } from 'vite';
import { defineConfig } from 'vite';
import { devProxyLogger } from './playground/dev-proxy-logger.js';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests and the playground run against the sources, not dist, so no build step sits in between.
export const alias = [
  { find: /^@nexmo-session\/react\/styles\.css$/, replacement: src('./packages/react/src/styles.css') },
  { find: /^@nexmo-session\/core\/testing$/, replacement: src('./packages/core/src/testing.ts') },
  { find: /^@nexmo-session\/core\/protocol$/, replacement: src('./packages/core/src/protocol/index.ts') },
  { find: /^@nexmo-session\/core\/nexmo-client$/, replacement: src('./packages/core/src/entries/nexmo-client.ts') },
  {
    find: /^@nexmo-session\/core\/vonage-client-sdk$/,
    replacement: src('./packages/core/src/entries/vonage-client-sdk.ts'),
  },
  {
    find: /^@nexmo-session\/core\/reconnecting-websocket$/,
    replacement: src('./packages/core/src/entries/reconnecting-websocket.ts'),
  },
  { find: /^@nexmo-session\/core$/, replacement: src('./packages/core/src/index.ts') },
  { find: /^@nexmo-session\/react\/devtools$/, replacement: src('./packages/react/src/devtools/index.ts') },
  { find: /^@nexmo-session\/react$/, replacement: src('./packages/react/src/index.ts') },
  { find: /^@nexmo-session\/server$/, replacement: src('./packages/server/src/index.ts') },
];

/**
 * React 18 for the `react18` project (the peer range includes it): the same tests, with `react` and
 * `react-dom` resolved to test-support/react18. Libraries that import React are inlined so the
 * alias reaches them too; otherwise they would load the root's React 19 beside it.
 */
const react18 = src('./test-support/react18/node_modules/');
const react18Alias = [
  // Its CommonJS build would `require('react')` past the alias; its ESM build imports it.
  {
    find: /^@testing-library\/react$/,
    replacement: src('./node_modules/@testing-library/react/dist/@testing-library/react.esm.js'),
  },
  { find: /^react$/, replacement: `${react18}react/index.js` },
  { find: /^react\/(.*)$/, replacement: `${react18}react/$1.js` },
  { find: /^react-dom$/, replacement: `${react18}react-dom/index.js` },
  { find: /^react-dom\/(.*)$/, replacement: `${react18}react-dom/$1.js` },
];
const reactTests = {
  root: src('./packages/react'),
  environment: 'jsdom',
  include: ['src/**/*.test.tsx', 'test/**/*.test.tsx'],
  exclude: ['**/*.ssr.test.tsx', '**/node_modules/**'],
  setupFiles: ['./test/setup.ts'],
  testTimeout: 15_000,
};

const ssrTests = {
  root: src('./packages/react'),
  environment: 'node',
  include: ['test/**/*.ssr.test.tsx', 'test/react-version.test.tsx'],
};

/** Debian's Chromium flags (docs/decisions.md): no test tool downloads a browser or phones home. */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Stories run in Chromium on React's production build, as in the built Storybook: without it,
 * Storybook renders each story inside act(), which runs every effect before the play function
 * starts and hid four broken stories (docs/decisions.md). A `define` would do, but Vitest copies
 * `process.env.*` defines into its own process, and every other project would get it too.
 */
function productionBuild(): Plugin {
  const nodeEnv = { 'process.env.NODE_ENV': '"production"' };
  return {
    name: 'nexmo-session:production-build',
    enforce: 'pre',
    config: () => ({
      oxc: { jsx: { development: false } },
      optimizeDeps: { rolldownOptions: { transform: { define: nodeEnv } } },
    }),
    transform(code, id) {
      if (!/[\\/]node_modules[\\/](@storybook[\\/]|storybook[\\/])/.test(id)) return null;
      if (!code.includes('process.env.NODE_ENV')) return null;
      return { code: code.replaceAll('process.env.NODE_ENV', nodeEnv['process.env.NODE_ENV']), map: null };
    },
  };
}

/** Vitest's Playwright provider on Debian's Chromium (playwright's own launch makes a fresh profile). */
const chromium = (colorScheme: 'light' | 'dark') =>
  playwright({
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
    contextOptions: { colorScheme },
  });

/** The reference server `npm start` runs beside the playground. */
export const devServerPort = 8787;

export default defineConfig({
  // The playground is the app this config serves and builds; tests use the projects below.
  root: src('./playground'),
  plugins: [react()],
  resolve: { alias },
  // One line per proxy error, none for the sockets the fault buttons kill on purpose.
  customLogger: devProxyLogger(),
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
        test: { name: 'react', ...reactTests, env: { EXPECTED_REACT_MAJOR: '19' } },
      },
      {
        resolve: { alias: [...react18Alias, ...alias] },
        test: {
          name: 'react18',
          ...reactTests,
          env: { EXPECTED_REACT_MAJOR: '18' },
          server: { deps: { inline: [/@testing-library\/react/, /storybook/, /zustand/] } },
        },
      },
      {
        resolve: { alias },
        test: { name: 'react-ssr', ...ssrTests, env: { EXPECTED_REACT_MAJOR: '19' } },
      },
      {
        resolve: { alias: [...react18Alias, ...alias] },
        // zustand's React binding is inlined so the alias gives it React 18 too.
        test: {
          name: 'react18-ssr',
          ...ssrTests,
          env: { EXPECTED_REACT_MAJOR: '18' },
          server: { deps: { inline: [/zustand/] } },
        },
      },
      {
        resolve: { alias },
        plugins: [storybookTest({ configDir: src('./.storybook') }), productionBuild()],
        test: {
          name: 'storybook',
          root: src('.'),
          // Every story twice: with a light and with a dark system preference (axe checks contrast in both).
          browser: {
            enabled: true,
            headless: true,
            instances: [
              { browser: 'chromium', name: 'chromium light', provider: chromium('light') },
              { browser: 'chromium', name: 'chromium dark', provider: chromium('dark') },
            ],
          },
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
