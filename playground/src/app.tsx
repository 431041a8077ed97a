import type { ServerEvent } from '@nexmo-session/core';
import {
  ConnectionBanner,
  ConnectionStatusBadge,
  formatSeconds,
  SessionProvider,
  TokenRefreshPrompt,
  useNexmoSession,
  useSessionActions,
  useSessionEvent,
  useSessionInstance,
} from '@nexmo-session/react';
import { SessionDevtools } from '@nexmo-session/react/devtools';
import type { FormEvent } from 'react';
import { useEffect, useState } from 'react';
import type { SignInChoice } from './config.js';
import { devToken, fault, reconnect, serverWs, signInFromUrl, signInUrl } from './config.js';
import { network, setOnline } from './offline.js';

interface SignedIn extends SignInChoice {
  token: string;
}

export function App() {
  const [signedIn, setSignedIn] = useState<SignedIn | null>(null);
  // Calls of this tab's fetchToken: with crossTab, one tab of the user fetches for all of them.
  const [fetches, setFetches] = useState(0);
  if (!signedIn) return <SignIn onSignIn={setSignedIn} />;
  const { sub, ttlSeconds, autoRefresh, crossTab, token } = signedIn;
  const fetchToken = () => {
    setFetches((n) => n + 1);
    return devToken(sub, ttlSeconds);
  };
  return (
    <SessionProvider
      key={token}
      url={serverWs}
      token={token}
      {...(autoRefresh ? { fetchToken } : {})}
      crossTab={crossTab}
      options={{ network, ...(reconnect ? { reconnect } : {}) }}
    >
      <Playground
        me={signedIn}
        fetches={fetches}
        onSignOut={() => {
          setSignedIn(null);
          setFetches(0);
        }}
      />
    </SessionProvider>
  );
}

/** A sign-in the URL asked for happens once per page load, not again after signing out. */
let urlSignInUsed = false;

function SignIn({ onSignIn }: { onSignIn: (s: SignedIn) => void }) {
  const [error, setError] = useState<string | null>(null);
  const signIn = async (choice: SignInChoice) => {
    try {
      onSignIn({ ...choice, token: await devToken(choice.sub, choice.ttlSeconds) });
    } catch (err) {
      setError(`Could not get a dev token from the server: ${String(err)}`);
    }
  };
  useEffect(() => {
    if (!signInFromUrl || urlSignInUsed) return;
    urlSignInUsed = true; // StrictMode runs this effect twice
    void signIn(signInFromUrl);
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void signIn({
      sub: String(form.get('sub') || 'alice'),
      ttlSeconds: Number(form.get('ttl')),
      autoRefresh: form.get('autoRefresh') === 'on',
      crossTab: form.get('crossTab') === 'on',
    });
  };
  return (
    <main className="pg">
      <h1>nexmo-session playground</h1>
      <form className="pg-card pg-signin" onSubmit={submit}>
        <label>
          User <input name="sub" defaultValue="alice" pattern="[\w.@\-]{1,64}" required />
        </label>
        <label>
          Token lifetime{' '}
          <select name="ttl" defaultValue="3600">
            <option value="30">30 s</option>
            <option value="90">90 s</option>
            <option value="300">5 min</option>
            <option value="3600">1 hour</option>
          </select>
        </label>
        <label>
          <input type="checkbox" name="autoRefresh" defaultChecked /> Refresh tokens automatically (fetchToken)
        </label>
        <label>
          <input type="checkbox" name="crossTab" /> Share token refreshes and sign-out with my other tabs (crossTab)
        </label>
        <button type="submit">Sign in with a dev token</button>
        {error ? <p role="alert">{error}</p> : null}
      </form>
    </main>
  );
}

function Playground({ me, fetches, onSignOut }: { me: SignedIn; fetches: number; onSignOut: () => void }) {
  const { sessionId, userId, retryCount, maxRetries, tokenExpiresAt, outboxSize } = useNexmoSession((s) => s);
  const { logout } = useSessionActions();
  // Signed out here or, with crossTab, in another tab of this user: back to the sign-in form.
  useSessionEvent('disconnect', (reason) => {
    if (reason === 'CLIENT_DISCONNECTED') onSignOut();
  });
  return (
    <main className="pg">
      <header className="pg-header">
        <h1>nexmo-session playground</h1>
        <ConnectionStatusBadge />
        <span>
          signed in as <strong data-testid="user">{userId ?? me.sub}</strong>
        </span>
        <button type="button" onClick={() => logout().then(onSignOut)}>
          Sign out
        </button>
        <a href={signInUrl(me)} target="_blank" rel="noopener">
          Open {me.sub} in another tab
        </a>
      </header>
      <ConnectionBanner />
      <TokenRefreshPrompt {...(me.autoRefresh ? {} : { onRefresh: () => devToken(me.sub, me.ttlSeconds) })} />
      <section className="pg-card pg-facts" aria-label="Session">
        <dl>
          <div className="pg-fact pg-fact--wide">
            <dt>Session id</dt>
            <dd data-testid="session-id" className="pg-mono">
              {sessionId ?? '—'}
            </dd>
          </div>
          <div className="pg-fact">
            <dt>retryCount / maxRetries</dt>
            <dd>
              {retryCount} / {maxRetries}
            </dd>
          </div>
          <div className="pg-fact">
            <dt>Token expires</dt>
            <dd>{tokenExpiresAt ? new Date(tokenExpiresAt).toLocaleTimeString() : '—'}</dd>
          </div>
          <div className="pg-fact">
            <dt>Waiting to send</dt>
            <dd data-testid="outbox">{outboxSize}</dd>
          </div>
          <div className="pg-fact">
            <dt>fetchToken calls in this tab</dt>
            <dd data-testid="fetches">{me.autoRefresh ? fetches : '—'}</dd>
          </div>
          <div className="pg-fact">
            <dt>Other tabs of {me.sub}</dt>
            <dd data-testid="cross-tab">{me.crossTab ? 'share tokens and sign-out' : 'work alone'}</dd>
          </div>
        </dl>
      </section>
      <div className="pg-grid">
        <Chat />
        <Call />
        <Faults sub={me.sub} />
      </div>
      <SessionDevtools initialIsOpen />
    </main>
  );
}

interface ChatLine {
  seq: number;
  from: string | null;
  text: string;
}

function Chat() {
  const [lines, setLines] = useState<ChatLine[]>([]);
  const { send } = useSessionActions();
  useSessionEvent('message', (event: ServerEvent) => {
    const body = event.body as { text?: unknown };
    if (typeof body?.text === 'string')
      setLines((l) => [...l, { seq: event.seq, from: event.from, text: body.text as string }]);
  });
  useSessionEvent('session:lost', () => setLines([]));
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem('text') as HTMLInputElement;
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    send({ text }).catch(() => {
      /* shown by the outbox counter and the event log */
    });
  };
  return (
    <section className="pg-card" aria-labelledby="chat-title">
      <h2 id="chat-title">Chat (one room)</h2>
      <ol className="pg-chat" data-testid="chat">
        {lines.map((l) => (
          <li key={l.seq}>
            <strong>{l.from ?? 'server'}:</strong> {l.text}
          </li>
        ))}
      </ol>
      <form onSubmit={submit} className="pg-row">
        <label className="pg-grow">
          <span className="pg-sr">Message</span>
          <input name="text" autoComplete="off" placeholder="Say something" />
        </label>
        <button type="submit">Send</button>
      </form>
    </section>
  );
}

/** A pretend call bound to the session: it survives a resume and ends when the session is lost. */
function Call() {
  const session = useSessionInstance();
  const sessionId = useNexmoSession((s) => s.sessionId);
  const [call, setCall] = useState<{ startedAt: number; sessionId: string } | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  useSessionEvent('session:lost', () => {
    setCall((c) => {
      if (c) setEnded('The call ended: the session expired before we reconnected.');
      return null;
    });
  });
  return (
    <section className="pg-card" aria-labelledby="call-title">
      <h2 id="call-title">Call</h2>
      {call ? (
        <p data-testid="call">
          In a call for <CallTimer startedAt={call.startedAt} /> (session {call.sessionId.slice(0, 12)}…)
        </p>
      ) : (
        <p>{ended ?? 'No call.'}</p>
      )}
      <button
        type="button"
        disabled={!sessionId}
        onClick={() => {
          if (call) setCall(null);
          else if (sessionId) {
            setEnded(null);
            setCall({ startedAt: session.clock.now(), sessionId });
          }
        }}
      >
        {call ? 'Hang up' : 'Start call'}
      </button>
    </section>
  );
}

function CallTimer({ startedAt }: { startedAt: number }) {
  const { clock } = useSessionInstance();
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    const id = setInterval(() => setNow(clock.now()), 1000);
    return () => clearInterval(id);
  }, [clock]);
  return <span>{formatSeconds(Math.floor((now - startedAt) / 1000))}</span>;
}

function Faults({ sub }: { sub: string }) {
  const [pauseSeconds, setPauseSeconds] = useState(5);
  // The store's view of the network: this button and the browser's own online/offline events agree.
  const offline = useNexmoSession((s) => s.network === 'offline');
  return (
    <section className="pg-card" aria-labelledby="faults-title">
      <h2 id="faults-title">Faults</h2>
      <div className="pg-buttons">
        <button type="button" onClick={() => fault('drop', { sub })}>
          Drop the connection
        </button>
        <span className="pg-row">
          <button type="button" onClick={() => fault('pause', { ms: pauseSeconds * 1000 })}>
            Stop the server for
          </button>
          <label>
            <span className="pg-sr">Seconds</span>
            <select value={pauseSeconds} onChange={(e) => setPauseSeconds(Number(e.target.value))} aria-label="Seconds">
              <option value={3}>3 s</option>
              <option value={5}>5 s</option>
              <option value={15}>15 s</option>
              <option value={45}>45 s</option>
            </select>
          </label>
        </span>
        <button type="button" onClick={() => fault('freeze', { ms: 15_000 })}>
          Freeze the server 15 s (half-open)
        </button>
        <button type="button" onClick={() => fault('expire-token', { sub })}>
          Expire the token
        </button>
        <button type="button" aria-pressed={offline} onClick={() => void setOnline(offline, sub)}>
          {offline ? 'Go online' : 'Go offline'}
        </button>
      </div>
    </section>
  );
}
