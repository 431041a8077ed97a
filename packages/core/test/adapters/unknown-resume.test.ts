/**
 * The engine rule the SDK adapters rely on (issue 18): a transport that cannot tell which session
 * the platform answered reports `resumed: null`, and the store claims neither a resume nor a loss.
 * The transport here is a hand-driven stand-in, as in any engine unit test.
 */
import { describe, expect, it } from 'vitest';
import { manualNetwork } from '../../src/network.js';
import { createSession } from '../../src/session.js';
import { makeTestToken } from '../../src/testing/test-token.js';
import type { SelfRetryingTransport as Transport, TransportHost } from '../../src/transport/types.js';
import { traceEvents } from './trace.js';

function handDriven() {
  let host: TransportHost | null = null;
  const transport: Transport = {
    carriesMessages: false,
    attach: (h) => {
      host = h;
    },
    login: () => {},
    connect: () => {},
    retryNow: () => {},
    updateToken: async () => ({}),
    suspend: () => {},
    logout: async () => {},
    send: () => {},
    destroy: () => {
      host = null;
    },
  };
  const h = () => host as TransportHost;
  return { transport, h };
}

async function connectedSession() {
  const { transport, h } = handDriven();
  const session = createSession({ transport, network: manualNetwork(true) });
  const trace = traceEvents(session);
  const login = session.login(makeTestToken({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 3600 }));
  h().connected({ sessionId: 'S-1', userId: 'alice', resumed: false });
  await login;
  trace.length = 0;
  h().disconnected('CONNECTION_FAILED', null);
  h().reconnecting(1);
  return { session, trace, h };
}

describe('ConnectedInfo.resumed: null', () => {
  it('reconnects without claiming a resume: lastConnect null, no session:resumed or session:lost', async () => {
    const { session, trace, h } = await connectedSession();
    h().connected({ sessionId: 'S-1', userId: 'alice', resumed: null });
    expect(session.getState()).toMatchObject({ status: 'connected', sessionId: 'S-1', lastConnect: null });
    expect(trace).toEqual(['disconnect:CONNECTION_FAILED', 'reconnecting:1', 'reconnect']);
    session.destroy();
  });

  it('a later report that knows (another id) still gives session:lost', async () => {
    const { session, trace, h } = await connectedSession();
    h().connected({ sessionId: 'S-1', userId: 'alice', resumed: null });
    h().connected({ sessionId: 'S-2', userId: 'alice', resumed: false });
    expect(session.getState()).toMatchObject({ status: 'connected', sessionId: 'S-2', lastConnect: 'new' });
    expect(trace.slice(-1)).toEqual(['session:lost']);
    session.destroy();
  });
});
