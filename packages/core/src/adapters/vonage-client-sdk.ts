/**
 * vonageClientTransport(client, { answers }): the same store, hooks and components for apps on
 * @vonage/client-sdk 2.x. Measured behaviour (facts/vonage-sdks.md §3, §4):
 *
 * - There is no `connect()` and no `disconnect` event. Resume is `createSession(token, lastId)`,
 *   and the SDK forgets the id after a failure, so the adapter keeps the last one itself.
 * - `reconnecting` (no arguments) fires once per outage, at the first attempt (1–5 s after the
 *   loss), so the loss is reported then; the SDK's attempt count and delays are hidden (hard-coded
 *   5 attempts, jittered ≤ 5 s), so retryCount shows 1 and nextRetryAt is unknown.
 * - `reconnection` fires when the SDK's own loop has the socket back, *before* the platform's
 *   `session:success` says which session it gave. The SDK then moves to that id silently: no event
 *   carries it. The one place the answer shows is the SDK's logger stream, so the app passes
 *   `vonageAnswerLogger()` in `customLoggers` and the adapter reads the answer there (same id →
 *   resumed, another → lost). Without it, or if the answer does not come, the adapter reports the
 *   reconnect with `resumed: null`: it cannot know, so it claims neither.
 * - `sessionError('TRANSPORT_CLOSED')` is the end of the cycle. `sessionError('EXPIRED_TOKEN')`
 *   follows *any* server disconnect, so it only counts as expiry when the token is past `exp`;
 *   otherwise the adapter resumes at once with createSession(token, lastId).
 * - Token refresh is `refreshSession(token)` (an HTTP PUT) while a session is live.
 */
import { SessionError } from '../errors.js';
import { tokenStillValid } from '../token.js';
import type { SelfRetryingTransport as Transport, TransportHost } from '../transport/types.js';

/** Declared here, not from @types/node (core also runs in browsers, where a page without a bundler defines it: errors.ts). */
// Bundlers replace process.env.NODE_ENV (Vite, webpack, esbuild, Rollup); Node has it.
declare const process: { env: { NODE_ENV?: string } };

/** The parts of VonageClient 2.x this adapter uses. */
export interface VonageClientLike {
  createSession(token: string, sessionId?: string | null): Promise<string>;
  refreshSession(token: string): Promise<unknown>;
  deleteSession(): Promise<unknown>;
  on(event: string, fn: (...args: never[]) => void): unknown;
  off(event: string, handle: unknown): unknown;
}

/**
 * A logger in the shape of the SDK's public `VonageLogger` (`customLoggers` option). It subscribes
 * to the SDK's verbose websocket topic, where @vonage/client-sdk 2.3.1 logs every socket event it
 * receives as `didReceiveNewSocketEvent() params: <event JSON>`, and passes on the session id of
 * each `session:success`. One per client.
 */
export interface VonageAnswerLogger {
  readonly name: string;
  readonly minLogLevel: 'Verbose';
  readonly topics: ['WS'];
  onLog(level: string, topic: unknown, message: string): void;
}

const SOCKET_EVENT_LOG = 'didReceiveNewSocketEvent() params: ';
/** Each logger's hook: bind a listener, get back its unbind (which leaves a later binding alone). */
const binders = new WeakMap<VonageAnswerLogger, (listener: (sessionId: string) => void) => () => void>();

/** Create with the client: `new VonageClient({ customLoggers: [answers] })`, then pass it to the adapter. */
export function vonageAnswerLogger(): VonageAnswerLogger {
  let listener: ((sessionId: string) => void) | null = null;
  const logger: VonageAnswerLogger = {
    name: 'nexmo-session',
    minLogLevel: 'Verbose',
    topics: ['WS'],
    onLog(_level, _topic, message) {
      if (!listener || typeof message !== 'string' || !message.startsWith(SOCKET_EVENT_LOG)) return;
      // Cheap test first: most socket events are conversation traffic.
      if (!message.includes('"session:success"')) return;
      let event: { type?: unknown; body?: { id?: unknown } } | null;
      try {
        event = JSON.parse(message.slice(SOCKET_EVENT_LOG.length));
      } catch {
        return;
      }
      const id = event?.type === 'session:success' ? event.body?.id : undefined;
      if (typeof id === 'string' && id !== '') listener(id);
    },
  };
  binders.set(logger, (next) => {
    listener = next;
    return () => {
      if (listener === next) listener = null;
    };
  });
  return logger;
}

export interface VonageClientTransportOptions {
  /** The `vonageAnswerLogger()` that is in this client's `customLoggers`. */
  answers?: VonageAnswerLogger;
}

/**
 * How long after the SDK's own reconnect the platform's answer may take before the adapter reports
 * the reconnect as "resumed: unknown". The SDK gives `createSession` the same 5 s.
 */
export const ANSWER_TIMEOUT_MS = 5000;

const codeOf = (err: unknown) => String((err as { code?: unknown } | null)?.code ?? '');

export function vonageClientTransport(client: VonageClientLike, options: VonageClientTransportOptions = {}): Transport {
  if (!client || typeof client.createSession !== 'function' || typeof client.refreshSession !== 'function') {
    throw new TypeError(
      process.env.NODE_ENV !== 'production'
        ? 'vonageClientTransport(client): expected a VonageClient 2.x instance.'
        : '',
    );
  }
  const bindAnswers = options.answers ? binders.get(options.answers) : undefined;
  if (options.answers && !bindAnswers) {
    throw new TypeError(
      process.env.NODE_ENV !== 'production'
        ? 'vonageClientTransport(client, { answers }): expected a vonageAnswerLogger().'
        : '',
    );
  }
  let host: TransportHost | null = null;
  let token: string | null = null;
  let lastId: string | null = null;
  let live = false;
  let lost = false;
  /** A createSession of ours is in flight: its answer is its promise's. */
  let opening = false;
  /** The answer logger saw the answer to our last createSession, so it can be trusted after a reconnect. */
  let answersWork = false;
  let sawAnswerWhileOpening = false;
  let answerTimer: unknown = null;
  let unbindAnswers: (() => void) | null = null;
  const handles: [string, unknown][] = [];

  function clearAnswerTimer(): void {
    if (answerTimer !== null) host?.clock.clearTimeout(answerTimer);
    answerTimer = null;
  }

  function reconnected(sessionId: string, resumed: boolean | null): void {
    if (!host) return;
    clearAnswerTimer();
    lastId = sessionId;
    live = true;
    lost = false;
    host.connected({ sessionId, userId: null, resumed });
  }

  /** The platform's `session:success`, read off the SDK's logger stream. */
  function onAnswer(sessionId: string): void {
    const h = host;
    if (!h) return;
    if (opening) {
      sawAnswerWhileOpening = true;
      return;
    }
    // After the SDK's own reconnect; or while live, a platform that moved the session on its own.
    if (lastId === null || (live && sessionId === lastId)) return;
    // The SDK logs an event before it handles it: report on the next turn, so listeners that call
    // the SDK find it on the answered session.
    clearAnswerTimer();
    answerTimer = h.clock.setTimeout(() => {
      answerTimer = null;
      const asked = lastId;
      if (!host || asked === null) return;
      reconnected(sessionId, sessionId === asked);
      if (sessionId !== asked) repointSdk();
    }, 0);
  }

  /**
   * SDK 2.3.1 moves to the new id of an answer it did not ask for, but its socket keeps asking for
   * the old one on every later reconnect (so each blip would lose the session again) until a
   * refreshSession, whose reply re-points it.
   */
  function repointSdk(): void {
    if (token === null) return;
    client.refreshSession(token).catch((err: unknown) => {
      host?.warn(
        new SessionError(
          'error:client:transport',
          process.env.NODE_ENV !== 'production' ? 'refreshSession after a new session failed.' : '',
          err,
          { reason: 'refresh_failed' },
        ),
      );
    });
  }

  function open(kind: 'login' | 'resume'): void {
    const h = host;
    if (!h || token === null) return;
    const wanted = kind === 'resume' ? lastId : null;
    opening = true;
    sawAnswerWhileOpening = false;
    client.createSession(token, wanted ?? undefined).then(
      (id) => {
        opening = false;
        if (!host) return;
        if (bindAnswers) {
          answersWork = sawAnswerWhileOpening;
          if (!answersWork) {
            host.warn(
              new SessionError(
                'error:client:transport',
                process.env.NODE_ENV !== 'production'
                  ? 'vonageAnswerLogger() saw no login answer: is it in customLoggers?'
                  : '',
                undefined,
                { reason: 'no_answer_logger' },
              ),
            );
          }
        }
        reconnected(id, wanted !== null && id === wanted);
      },
      (err: unknown) => {
        opening = false;
        if (!host) return;
        const code = codeOf(err);
        if (code.includes('expired-token')) host.disconnected('TOKEN_EXPIRED');
        else if (code.includes('invalid-token') || code.includes('invalid-user') || code.includes('permission')) {
          host.loginFailed(
            new SessionError(
              'error:client:login_failed',
              process.env.NODE_ENV !== 'production' ? `The platform refused the token (${code}).` : '',
              err,
              { code },
            ),
          );
        } else {
          // Unreachable platform, verify timeout, refused session: the attempt failed.
          host.reconnectionFailed();
        }
      },
    );
  }

  const onReconnecting = () => {
    if (!host || !live) return;
    live = false;
    lost = true;
    host.disconnected('CONNECTION_FAILED', null);
    host.reconnecting(1);
  };

  const onReconnection = () => {
    const h = host;
    if (!h || lastId === null || live) return;
    if (!answersWork) {
      reconnected(lastId, null);
      return;
    }
    // The socket is back; which session the platform gave comes in its answer, right behind.
    clearAnswerTimer();
    answerTimer = h.clock.setTimeout(() => {
      answerTimer = null;
      if (!host || live || lastId === null) return;
      host.warn(
        new SessionError(
          'error:client:transport',
          process.env.NODE_ENV !== 'production' ? 'No platform answer after the reconnect; resumed unknown.' : '',
          undefined,
          { reason: 'no_answer' },
        ),
      );
      reconnected(lastId, null);
    }, ANSWER_TIMEOUT_MS);
  };

  const onSessionError = (reason: string) => {
    if (!host || lastId === null) return;
    clearAnswerTimer();
    const wasLive = live;
    live = false;
    if (reason === 'EXPIRED_TOKEN' && !tokenStillValid(token, host.clock.now())) {
      host.disconnected('TOKEN_EXPIRED');
      return;
    }
    if (reason === 'EXPIRED_TOKEN') {
      // A server disconnect with a token that is still good: resume straight away.
      host.disconnected('CONNECTION_FAILED', host.clock.now());
      host.reconnecting(1);
      open('resume');
      return;
    }
    if (wasLive && !lost) host.disconnected('CONNECTION_FAILED', null);
    lost = false;
    host.reconnectionFailed();
  };

  return {
    carriesMessages: false,
    attach(h) {
      host = h;
      unbindAnswers = bindAnswers?.(onAnswer) ?? null;
      handles.push(['reconnecting', client.on('reconnecting', onReconnecting)]);
      handles.push(['reconnection', client.on('reconnection', onReconnection)]);
      handles.push(['sessionError', client.on('sessionError', onSessionError as (...args: never[]) => void)]);
    },
    login(t) {
      token = t;
      lastId = host?.resumeInfo()?.sessionId ?? null;
      open(lastId ? 'resume' : 'login');
    },
    connect() {
      if (live) return;
      open(lastId ? 'resume' : 'login');
    },
    retryNow() {
      // The SDK's retry loop is internal and hard-coded; nothing to cut short.
    },
    async updateToken(t) {
      token = t;
      if (live) await client.refreshSession(t);
      return {};
    },
    suspend() {
      // The SDK cannot pause its loop without deleting the session; its attempts with the dead
      // token fail on their own and the engine already stopped listening for them.
      live = false;
      clearAnswerTimer();
    },
    async logout() {
      live = false;
      lastId = null;
      clearAnswerTimer();
      await client.deleteSession();
    },
    send() {
      // carriesMessages is false: the engine never calls this.
    },
    destroy() {
      for (const [event, handle] of handles.splice(0)) client.off(event, handle);
      clearAnswerTimer();
      unbindAnswers?.();
      unbindAnswers = null;
      host = null;
      live = false;
    },
  };
}
