/**
 * A TCP proxy on 127.0.0.1 that injects network faults between a client and the server:
 * latency, black-hole (half-open: sockets stay open, bytes vanish), resets, refusals, flapping.
 * Every timer it starts is bounded and cleared by close().
 */
import type { AddressInfo, Server, Socket } from 'node:net';
import { connect, createServer } from 'node:net';

export interface FaultProxy {
  readonly port: number;
  /** Each forwarded chunk waits this long (ms). */
  latencyMs: number;
  /** Forward nothing (both ways) while keeping every socket open. */
  blackhole(on: boolean): void;
  /** Destroy every open connection with a TCP reset. */
  reset(): number;
  /** Refuse (reset) new connections while on. */
  refuse(on: boolean): void;
  /** Alternate reset+refuse and accept every `periodMs` for `durationMs`; resolves when done. */
  flap(periodMs: number, durationMs: number): Promise<void>;
  readonly connections: number;
  close(): Promise<void>;
}

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let holed = false;
  let refusing = false;

  function forward(from: Socket, to: Socket): void {
    // TCP never reorders bytes, so each direction is one FIFO queue drained by one timer: chunks
    // leave in arrival order whatever the latency does meanwhile. (Found by the nothing-lost
    // test: one timer per chunk let equal deadlines fire out of order, and frames skipped seqs.)
    const queue: { chunk: Buffer; dueAt: number }[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const drain = () => {
      if (timer) timers.delete(timer);
      timer = null;
      const now = Date.now();
      while (queue.length > 0 && (queue[0] as { dueAt: number }).dueAt <= now) {
        const { chunk } = queue.shift() as { chunk: Buffer };
        if (!holed && !to.destroyed) to.write(chunk);
      }
      if (queue.length > 0) {
        timer = setTimeout(drain, (queue[0] as { dueAt: number }).dueAt - now);
        timers.add(timer);
      }
    };
    from.on('data', (chunk: Buffer) => {
      if (holed) return;
      queue.push({ chunk, dueAt: Date.now() + proxy.latencyMs });
      if (timer === null) drain();
    });
  }

  const server: Server = createServer((client) => {
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));

  const proxy: FaultProxy = {
    port: (server.address() as AddressInfo).port,
    latencyMs: 0,
    blackhole(on) {
      holed = on;
    },
    reset() {
      const n = pairs.size;
      for (const { client, upstream } of [...pairs]) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      return n;
    },
    refuse(on) {
      refusing = on;
    },
    flap(periodMs, durationMs) {
      return new Promise<void>((resolve) => {
        const started = Date.now();
        let down = false;
        const step = () => {
          if (Date.now() - started >= durationMs) {
            refusing = false;
            resolve();
            return;
          }
          down = !down;
          refusing = down;
          if (down) proxy.reset();
          const t = setTimeout(() => {
            timers.delete(t);
            step();
          }, periodMs);
          timers.add(t);
        };
        step();
      });
    },
    get connections() {
      return pairs.size;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      proxy.reset();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return proxy;
}
