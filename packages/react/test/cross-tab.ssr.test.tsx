import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionProvider } from '../src/index.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('crossTab on the server', () => {
  it('the provider prop reaches the session; without Web Locks it is a no-op with one warning, touching no window and arming no timer', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const twice = renderToString(
      <>
        <SessionProvider url="wss://sessions.example.com/ws" fetchToken={async () => 'never-called'} crossTab>
          <span>one</span>
        </SessionProvider>
        <SessionProvider
          url="wss://sessions.example.com/ws"
          fetchToken={async () => 'never-called'}
          crossTab={{ name: 'chat' }}
        >
          <span>two</span>
        </SessionProvider>
      </>,
    );
    expect(twice).toContain('one');
    await vi.waitFor(() => expect(warn).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 50)); // the second session's check, had it warned again
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/crossTab is off: this environment has no Web Locks/);
  });

  it('a malformed crossTab prop fails loudly, naming the option', () => {
    expect(() =>
      renderToString(
        <SessionProvider url="wss://x.example/ws" fetchToken={async () => 'x'} crossTab={{ name: '' }}>
          <span />
        </SessionProvider>,
      ),
    ).toThrow(/crossTab/);
  });
});
