// The README's React usage, as an app writes it against the published packages.
import { ConnectionBanner, SessionProvider, TokenRefreshPrompt, useNexmoSession } from '@nexmo-session/react';
import '@nexmo-session/react/styles.css';

// `nexmo-session-server --dev` on its default port; `?server=http://127.0.0.1:PORT` points elsewhere.
const server = new URLSearchParams(location.search).get('server') ?? 'http://127.0.0.1:8787';
const user = new URLSearchParams(location.search).get('user') ?? 'alice';

/** A dev token from the server's dev route. A real app asks its own backend. */
async function getToken(): Promise<string> {
  const res = await fetch(`${server}/dev/token?sub=${encodeURIComponent(user)}&ttl=300`);
  if (!res.ok) throw new Error(`GET /dev/token answered ${res.status}`);
  const { token } = (await res.json()) as { token: string; sub: string; expiresAt: number };
  return token;
}

export function Root() {
  return (
    <SessionProvider url={`${server.replace(/^http/, 'ws')}/ws`} fetchToken={getToken}>
      <ConnectionBanner />
      <TokenRefreshPrompt />
      <App />
    </SessionProvider>
  );
}

function App() {
  const status = useNexmoSession((s) => s.status);
  const retryCount = useNexmoSession((s) => s.retryCount); // re-renders only when it changes
  const sessionId = useNexmoSession((s) => s.sessionId);
  return (
    <main>
      <h1>nexmo-session in a Vite app</h1>
      <p data-testid="status" data-state={status} data-retry-count={retryCount}>
        {status}, retryCount {retryCount}
      </p>
      <p data-testid="session-id">{sessionId ?? '—'}</p>
    </main>
  );
}
