/**
 * Issue 12, case 5: 200 clients behind one address could not recover from a server restart: the
 * per-address login limit sent many of them to `reconnection_failed`. Login limits now count
 * failed logins per address and new sessions per user, so a fleet of valid users recovers even
 * from a restart of an in-memory server that forgot every session (each resume is then a new
 * login of a valid user). The real engine, through its public API, at its defaults.
 */
import { createSession, type Session, type WebSocketConstructor, webSocketTransport } from '@nexmo-session/core';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { token, until } from '../helpers.js';
import type { ServerProcess } from './server-process.js';
import { startServerProcess } from './server-process.js';

const FLEET = 200;
let server: ServerProcess | undefined;
const sessions: Session[] = [];
afterAll(async () => {
  for (const s of sessions) s.destroy();
  await server?.stop();
}, 20_000);

describe('abuse: a fleet behind one address (server process, default limits)', () => {
  it(`${FLEET} clients on 127.0.0.1 all recover from a restart that lost every session; none reaches reconnection_failed`, async () => {
    server = await startServerProcess();
    const { port } = server;
    const failures: string[] = [];
    const lost: string[] = [];
    for (let i = 0; i < FLEET; i++) {
      const session = createSession({
        transport: webSocketTransport(`ws://127.0.0.1:${port}/ws`, {
          WebSocket: WebSocket as unknown as WebSocketConstructor,
        }),
      });
      session.on('error', (err) => failures.push(`${i}: ${err.type}`));
      session.on('session:lost', () => lost.push(String(i)));
      sessions.push(session);
    }
    const tokens = await Promise.all(sessions.map((_, i) => token(`fleet-${i}`)));
    await Promise.all(sessions.map((s, i) => s.login(tokens[i] as string)));
    expect(sessions.every((s) => s.getState().status === 'connected')).toBe(true);

    // The restart: the process dies with every session in its memory; a new one takes the port.
    await server.kill();
    await until(() => sessions.every((s) => s.getState().status === 'reconnecting'), 10_000, 'the fleet to notice');
    server = await startServerProcess([], port);

    await until(
      () => sessions.every((s) => s.getState().status === 'connected') || failures.length > 0,
      60_000,
      'the whole fleet to reconnect',
    );
    expect(failures).toEqual([]);
    expect(sessions.filter((s) => s.getState().status === 'connected')).toHaveLength(FLEET);
    // The server forgot them: each got a new session and was told (session:lost).
    expect(lost).toHaveLength(FLEET);
  }, 120_000);
});
