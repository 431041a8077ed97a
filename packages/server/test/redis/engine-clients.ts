/**
 * Chat clients for the multi-process tests: the real engine through its public API at its
 * defaults (schedule 1, 2, 4, 8, 16 s; outbox 100; heartbeat 25 s), each recording what it was
 * told. Only `ws` is given (Node 20 has no WebSocket), with a no-op error listener.
 */
import type { Session, WebSocketConstructor } from '@nexmo-session/core';
import { createSession, webSocketTransport } from '@nexmo-session/core';
import WebSocket from 'ws';

class QuietWebSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols);
    this.on('error', () => {});
  }
}

export interface ChatBody {
  u: number;
  m: number;
}

export interface ChatClient {
  readonly index: number;
  readonly session: Session;
  readonly received: { seq: number; from: string | null; body: ChatBody }[];
  readonly trace: string[];
  readonly errors: string[];
  sessionId(): string | null;
}

export function chatClient(url: string, index: number): ChatClient {
  const session = createSession({
    transport: webSocketTransport(url, { WebSocket: QuietWebSocket as unknown as WebSocketConstructor }),
  });
  const client: ChatClient = {
    index,
    session,
    received: [],
    trace: [],
    errors: [],
    sessionId: () => session.getState().sessionId,
  };
  session.on('message', (m) => client.received.push(m as ChatClient['received'][number]));
  session.on('error', (err) => client.errors.push(`${err.type}: ${err.message}`));
  session.on('disconnect', (reason) => client.trace.push(`disconnect:${reason}`));
  session.on('reconnect', () => client.trace.push('reconnect'));
  session.on('session:resumed', () => client.trace.push('session:resumed'));
  session.on('session:lost', () => client.trace.push('session:lost'));
  return client;
}

/** Seqs rise by exactly 1 from the first. */
export function contiguousSeqs(received: readonly { seq: number }[]): boolean {
  return received.every((e, i) => i === 0 || e.seq === (received[i - 1] as { seq: number }).seq + 1);
}

export const bodyKey = (b: ChatBody) => `${b.u}:${b.m}`;
