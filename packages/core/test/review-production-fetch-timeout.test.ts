/**
 * Review (wave 4): in a production bundle, a fetchToken() that did not settle within
 * fetchTokenTimeoutMs and a fetchToken() that rejected are the same error to a program: type
 * fetch_token_failed, message = the type, and a cause `Error('')` in both. "Timed out" lived only
 * in the development text (token-manager.ts #withDeadline), so an app cannot tell a slow token
 * endpoint from one that said no (design: `cause` is fetchToken's error, yet on a timeout there is
 * no such error).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as dev from '../src/index.js';

const entry = new URL('../src/index.ts', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nexmo-session-review-prod-'));
let core: typeof dev;

beforeAll(async () => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    outdir: dir,
    splitting: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  for (const file of result.outputFiles) writeFileSync(file.path, file.contents);
  core = (await import(pathToFileURL(join(dir, 'index.js')).href)) as typeof dev;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function loginError(fetchToken: () => Promise<string>): Promise<dev.SessionError> {
  const session = core.createSession({
    transport: core.webSocketTransport('ws://127.0.0.1:1/ws'),
    fetchToken,
    fetchTokenTimeoutMs: 200,
    reconnect: { maxRetries: 0 },
  });
  try {
    await session.login();
  } catch (err) {
    return err as dev.SessionError;
  } finally {
    session.destroy();
  }
  throw new Error('login did not fail');
}

/** What a program can read of an error besides its message. */
const observable = (err: dev.SessionError) => ({
  type: err.type,
  details: err.details,
  causeName: (err.cause as Error | undefined)?.name,
  causeMessage: (err.cause as Error | undefined)?.message,
});

describe('production: a fetchToken timeout is told apart from a rejection', () => {
  it('the two errors differ in something other than the dropped text', async () => {
    const timedOut = await loginError(() => new Promise<string>(() => {}));
    const rejected = await loginError(() => Promise.reject(new Error('')));
    expect(timedOut.type).toBe('error:client:fetch_token_failed');
    expect(rejected.type).toBe('error:client:fetch_token_failed');
    expect(observable(timedOut)).not.toEqual(observable(rejected));
  });
});
