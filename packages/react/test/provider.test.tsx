import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { SessionError, SessionState, WebSocketConstructor } from '@nexmo-session/core';
import { render } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../test-support/until.js';
import { useNexmoSession } from '../src/hooks/session-hooks.js';
import type { SessionProviderProps } from '../src/session-provider.js';
import { SessionProvider } from '../src/session-provider.js';
import type { ServerProcess } from './server-process.js';
import { startServerProcess } from './server-process.js';

let srv: ServerProcess;
beforeAll(async () => {
  srv = await startServerProcess();
});
afterAll(async () => {
  await srv.stop();
});

// Node's `ws` client, loaded with Node's own resolution (under jsdom an import would get its
// browser stub; jsdom's WebSocket mixes event realms). A real socket either way.
const NodeWebSocket = createRequire(resolve(process.cwd(), 'package.json'))('ws') as WebSocketConstructor;

/** A real WebSocket that records each URL it opens. */
function recording(urls: string[]): WebSocketConstructor {
  const Base = NodeWebSocket as unknown as typeof WebSocket;
  return class extends Base {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      urls.push(String(url));
    }
  } as unknown as WebSocketConstructor;
}

let latest: SessionState | null = null;
function Spy() {
  latest = useNexmoSession();
  return <span>{latest.status}</span>;
}

describe('SessionProvider owning its session (real server process, real socket)', () => {
  it('in StrictMode opens exactly one connection and closes it on unmount', async () => {
    const urls: string[] = [];
    const t = await srv.token('alice');
    const view = render(
      <StrictMode>
        <SessionProvider url={srv.wsUrl} token={t} transportOptions={{ WebSocket: recording(urls) }}>
          <Spy />
        </SessionProvider>
      </StrictMode>,
    );
    await until(() => latest?.status === 'connected', 5000, 'connected');
    await new Promise((r) => setTimeout(r, 150)); // time for a stray second socket to show up
    expect(urls).toEqual([srv.wsUrl]);
    expect(await srv.connections()).toBe(1);
    expect(latest?.userId).toBe('alice');
    view.unmount();
    await until(async () => (await srv.connections()) === 0, 3000, 'socket closed');
    expect(urls).toHaveLength(1);
  });

  it('logs in with fetchToken when no token is given', async () => {
    const view = render(
      <SessionProvider
        url={srv.wsUrl}
        fetchToken={() => srv.token('bob')}
        transportOptions={{ WebSocket: NodeWebSocket }}
      >
        <Spy />
      </SessionProvider>,
    );
    await until(() => latest?.status === 'connected' && latest.userId === 'bob', 5000, 'connected');
    view.unmount();
    await until(async () => (await srv.connections()) === 0, 3000, 'socket closed');
  });
});

describe('SessionProvider without a way to get a token', () => {
  it('is a type error: a url needs token or fetchToken (or pass a session)', () => {
    const fetchToken = async () => 'a.b.c';
    const elements = [
      // @ts-expect-error neither token nor fetchToken: the provider could never log in
      <SessionProvider key="none" url="wss://sessions.example.com/ws" />,
      // @ts-expect-error an app-owned session takes no url
      <SessionProvider key="both" session={{} as never} url="wss://sessions.example.com/ws" />,
      <SessionProvider key="token" url="wss://sessions.example.com/ws" token="a.b.c" />,
      <SessionProvider key="fetch" url="wss://sessions.example.com/ws" fetchToken={fetchToken} />,
      <SessionProvider key="token+fetch" url="wss://sessions.example.com/ws" token="a.b.c" fetchToken={fetchToken} />,
    ];
    expect(elements).toHaveLength(5); // never rendered: the compiler is the test (npm run typecheck)
  });

  it('from JavaScript: the store says disconnected with a typed error naming the props, and no socket opens', async () => {
    const urls: string[] = [];
    const loginErrors: unknown[] = [];
    // What a JavaScript caller can write: the types above cannot stop it.
    const untypedProps = {
      url: srv.wsUrl,
      transportOptions: { WebSocket: recording(urls) },
      onLoginError: (err: unknown) => loginErrors.push(err),
    } as unknown as SessionProviderProps;
    const view = render(
      <SessionProvider {...untypedProps}>
        <Spy />
      </SessionProvider>,
    );
    await until(() => latest?.status === 'disconnected', 3000, 'disconnected');
    expect(latest?.error?.type).toBe('error:client:invalid_state');
    expect(latest?.error?.message).toMatch(/neither a `token` nor a `fetchToken` prop/);
    expect(loginErrors).toHaveLength(1);
    expect((loginErrors[0] as SessionError).type).toBe('error:client:invalid_state');
    expect(urls).toEqual([]);
    view.unmount();
  });
});
