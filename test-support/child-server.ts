/**
 * A server in its own process (ours or a peer), so its heap is measured alone. The child posts
 * `{ port }` when it listens and answers each `{ type, id }` request with a message carrying the
 * same id (see child-memory.mjs for the memory figure it reports). Used by the load test and the
 * server benchmark.
 */
import { fork } from 'node:child_process';

export interface ChildServer {
  /** The port the child listens on. */
  ready: Promise<number>;
  /** Send a request and wait for the answer with its id. */
  ask<T>(type: string): Promise<T>;
  /** Ask the child to exit and wait until it has. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would; resolves once it has exited. */
  kill(): Promise<void>;
}

export function forkServer(script: string, args: string[] = []): ChildServer {
  const proc = fork(script, args, { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 1;
  return {
    ready: new Promise((resolve) => proc.once('message', (m: { port: number }) => resolve(m.port))),
    ask<T>(type: string) {
      const id = nextId++;
      return new Promise<T>((resolve) => {
        const onMessage = (m: { id?: number } & T) => {
          if (m.id !== id) return;
          proc.off('message', onMessage);
          resolve(m);
        };
        proc.on('message', onMessage);
        proc.send({ type, id });
      });
    },
    stop() {
      return new Promise((resolve) => {
        proc.once('exit', () => resolve());
        proc.send({ type: 'exit' });
      });
    },
    kill() {
      return new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      });
    },
  };
}
