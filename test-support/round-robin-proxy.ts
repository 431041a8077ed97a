/**
 * A plain TCP load balancer on 127.0.0.1, as deployments put in front of several server
 * processes: each new connection goes to the next backend in turn (no stickiness), and a backend
 * that refuses the connection (a dead process) is skipped for the next one, as HAProxy or nginx
 * `stream` retry another upstream. Bytes are piped untouched.
 */
import type { Server, Socket } from 'node:net';
import { connect, createServer } from 'node:net';

export interface RoundRobinProxy {
  readonly port: number;
  /** ws://127.0.0.1:port/ws */
  readonly url: string;
  /** Backend index of every connection, in accept order (-1: none would take it). */
  readonly routed: number[];
  /** Send the next connection to this backend (then back to turns). */
  pinNext(index: number): void;
  /** Cut every client connection going to `index` (all when omitted), as a network drop would. */
  drop(index?: number): number;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(backendPorts: () => readonly number[]): Promise<RoundRobinProxy> {
  let turn = 0;
  let pinned: number | null = null;
  const routed: number[] = [];
  const open = new Set<{ client: Socket; upstream: Socket | null; index: number }>();

  const server: Server = createServer((client) => {
    const ports = backendPorts();
    const first = pinned ?? turn;
    pinned = null;
    turn = (first + 1) % ports.length;
    const entry = { client, upstream: null as Socket | null, index: -1 };
    open.add(entry);
    client.pause();
    // As load balancers do: small frames go out at once, not after the peer's delayed ACK (Nagle).
    client.setNoDelay(true);
    client.on('error', () => {});
    client.on('close', () => {
      entry.upstream?.destroy();
      open.delete(entry);
    });
    const tryBackend = (attempt: number) => {
      if (attempt >= ports.length || client.destroyed) {
        routed.push(-1);
        client.destroy();
        return;
      }
      const index = (first + attempt) % ports.length;
      const upstream = connect(ports[index] as number, '127.0.0.1');
      upstream.setNoDelay(true);
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        entry.upstream = upstream;
        entry.index = index;
        routed.push(index);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on('error', () => {
        if (!connected) tryBackend(attempt + 1);
      });
      upstream.on('close', () => {
        if (connected) client.destroy();
      });
    };
    tryBackend(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    port,
    url: `ws://127.0.0.1:${port}/ws`,
    routed,
    pinNext(index) {
      pinned = index;
    },
    drop(index) {
      let n = 0;
      for (const entry of [...open]) {
        if (index !== undefined && entry.index !== index) continue;
        entry.client.destroy();
        entry.upstream?.destroy();
        n++;
      }
      return n;
    },
    async close() {
      for (const entry of open) {
        entry.client.destroy();
        entry.upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
