/**
 * What a production bundle of core holds and does (errors.ts): the bundler replaces
 * process.env.NODE_ENV, every development text goes, and errors still say what happened through
 * their type, option name and details. Built here with esbuild the way an app's bundler does it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dev from '../src/index.js';

type Core = typeof dev;
const entry = new URL('../src/index.ts', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nexmo-session-production-'));
let text = '';
/** Without the crossTab chunk (cross-tab.ts keeps a check of its own for its warning). */
let mainText = '';
let core: Core;

beforeAll(async () => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    outdir: dir,
    splitting: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  for (const file of result.outputFiles) writeFileSync(file.path, file.contents);
  text = result.outputFiles.map((f) => f.text).join('\n');
  mainText = result.outputFiles
    .filter((f) => !f.path.includes('cross-tab'))
    .map((f) => f.text)
    .join('\n');
  core = (await import(pathToFileURL(join(dir, 'index.js')).href)) as Core;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const thrown = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('did not throw');
};

describe('core in a production bundle', () => {
  it('carries none of the development texts, and no leftover of the check that guards them', () => {
    for (const devText of [
      'This session was destroyed',
      'not logged in',
      'Could not reach',
      'expected a finite number',
      'Token is not a JWT',
      'No WebSocket here',
      'Could not get a new token',
      'did not settle within',
    ]) {
      expect(text).not.toContain(devText);
    }
    // The check folds away completely only in its ternary form (errors.ts).
    expect(mainText).not.toContain('typeof process');
  });

  it('option errors are still SessionOptionsErrors naming the option', () => {
    const err = thrown(() =>
      core.createSession({ transport: core.webSocketTransport('ws://127.0.0.1:1/ws'), reconnect: { jitter: 2 } }),
    );
    expect(err).toBeInstanceOf(core.SessionOptionsError);
    expect((err as dev.SessionOptionsError).option).toBe('reconnect.jitter');
    expect(err.message).toBe('Invalid option `reconnect.jitter`');
    expect((thrown(() => core.webSocketTransport('http://example.com/ws')) as dev.SessionOptionsError).option).toBe(
      'url',
    );
  });

  it('session errors keep their type (as the message), cause and details', async () => {
    const err = thrown(() => core.decodeToken('not-a-jwt'));
    expect(err).toBeInstanceOf(core.SessionError);
    expect((err as dev.SessionError).type).toBe('error:client:token_invalid');
    expect(err.message).toBe('error:client:token_invalid');

    const session = core.createSession({ transport: core.webSocketTransport('ws://127.0.0.1:1/ws') });
    await expect(session.connect()).rejects.toMatchObject({
      type: 'error:client:invalid_state',
      message: 'error:client:invalid_state',
    });
    session.destroy();
    await expect(session.login('a.b.c')).rejects.toMatchObject({ type: 'error:client:destroyed' });
  });

  it('development keeps the texts (the tests and Node without a bundler see them)', () => {
    const err = thrown(() =>
      dev.createSession({ transport: dev.webSocketTransport('ws://127.0.0.1:1/ws'), reconnect: { jitter: 2 } }),
    );
    expect(err.message).toBe('Invalid option `reconnect.jitter`: expected a finite number >= 0 and <= 1, got 2.');
    expect(thrown(() => dev.decodeToken('not-a-jwt')).message).toBe(
      'Token is not a JWT (three dot-separated base64url parts).',
    );
  });

  it('a browser development build keeps the texts and never reads `process` at run time', async () => {
    // What Vite's dev server and webpack in development produce: process.env.NODE_ENV replaced by
    // "development" in a page where `process` does not exist. A guard on `typeof process` would
    // be left in the bundle, be false in the browser, and hide every text from the developer.
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      outdir: join(dir, 'development'),
      splitting: true,
      define: { 'process.env.NODE_ENV': '"development"' },
      logLevel: 'silent',
    });
    const devText = result.outputFiles.map((f) => f.text).join('\n');
    expect(devText).toContain('This session was destroyed');
    expect(devText).toContain('Token is not a JWT');
    expect(devText).not.toMatch(/\bprocess\b/);
  });
});
