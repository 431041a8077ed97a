/**
 * No leaks: 200 reconnect cycles of the real engine against the real server, then open sockets,
 * pending timers and listeners are counted against their baseline and heap growth is measured.
 */

import type { WebSocketConstructor } from '@nexmo-session/core';
import { createSession, manualNetwork, webSocketTransport } from '@nexmo-session/core';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, token, until } from '../helpers.js';
import { startFaultProxy } from './fault-proxy.js';

const CYCLES = 200;
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const activeTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const gc = (globalThis as { gc?: () => void }).gc;
async function heapMb(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

describe('reliability: no leaks', () => {
  it(`after ${CYCLES} reconnect cycles sockets, timers and listeners are back to baseline; heap is flat`, async () => {
    // 200 resumes in a few seconds from one address, at the default limits: an owner's resumes
    // are never limited.
    const { server } = await startServer();
    cleanups.push(() => server.close());
    const proxy = await startFaultProxy(server.port);
    cleanups.push(() => proxy.close());

    let opened = 0;
    let closed = 0;
    const Counting = class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        opened++;
        this.once('close', () => closed++);
      }
    } as unknown as WebSocketConstructor;

    const timersBeforeSession = activeTimers();
    const session = createSession({
      transport: webSocketTransport(`ws://127.0.0.1:${proxy.port}/ws`, {
        WebSocket: Counting,
        heartbeat: { intervalMs: 1000, timeoutMs: 1000 },
      }),
      reconnect: { initialDelayMs: 5, factor: 1, maxDelayMs: 5, maxRetries: 20 },
      network: manualNetwork(true),
    });
    let reconnects = 0;
    const offs = [session.on('reconnect', () => reconnects++), session.on('disconnect', () => {})];
    await session.login(await token('alice', 3600));
    const sessionId = session.getState().sessionId;

    const cycle = async () => {
      const before = reconnects;
      proxy.reset();
      await until(() => reconnects > before && session.getState().status === 'connected', 5000, 'reconnect').catch(
        (err) => {
          const { status, retryCount, error, disconnectReason } = session.getState();
          console.log(
            'STUCK',
            JSON.stringify({
              reconnects,
              status,
              retryCount,
              error,
              disconnectReason,
              opened,
              closed,
              proxy: proxy.connections,
              server: server.stats(),
            }),
          );
          throw err;
        },
      );
    };
    const snapshot = async () => ({
      openSockets: opened - closed,
      timers: activeTimers(),
      listeners: session.debug.listenerCount(),
      engineTimers: session.debug.pendingTimers(),
      serverConnections: server.stats().connections,
      heapMb: await heapMb(),
    });
    for (let i = 0; i < 10; i++) await cycle(); // warm up JIT and pools before the baseline
    await new Promise((r) => setTimeout(r, 100));
    const baseline = await snapshot();

    for (let i = 0; i < CYCLES; i++) await cycle();
    await until(() => opened - closed === baseline.openSockets, 3000, 'old sockets to close');
    await new Promise((r) => setTimeout(r, 100));
    const after = await snapshot();
    const growthMb = after.heapMb - baseline.heapMb;
    console.log(
      `leaks: ${CYCLES} cycles, ${opened} sockets opened; baseline ${JSON.stringify(baseline)}; after ${JSON.stringify(after)}; heap growth ${growthMb.toFixed(2)} MB (gc ${gc ? 'forced' : 'not exposed'})`,
    );
    expect(session.getState()).toMatchObject({ status: 'connected', sessionId });
    expect(after.openSockets).toBe(1);
    expect(after.openSockets).toBe(baseline.openSockets);
    expect(after.timers).toBeLessThanOrEqual(baseline.timers);
    expect(after.listeners).toBe(baseline.listeners);
    expect(after.engineTimers).toBe(baseline.engineTimers);
    expect(after.serverConnections).toBe(1);
    expect(growthMb).toBeLessThan(8);

    for (const off of offs) off();
    session.destroy();
    await until(() => opened === closed, 3000, 'the last socket to close');
    await new Promise((r) => setTimeout(r, 50));
    expect(activeTimers()).toBeLessThanOrEqual(timersBeforeSession);
    expect(session.debug.listenerCount()).toBe(0);
    expect(session.debug.pendingTimers()).toBe(0);
  }, 90_000);
});
