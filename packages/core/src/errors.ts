/**
 * Every failure the kit reports is a SessionError with a `type` string from this list, so apps
 * can branch on `err.type` exactly as they do with the SDK's `error:client:reconnection_failed`.
 * Each type names its cause; `details` carries the facts (close code, seq range, URL).
 *
 * Messages are for people reading a console in development. Each one is written where it is
 * thrown as `process.env.NODE_ENV !== 'production' ? text : ''`
 * (the React/Redux convention): a production bundle, where the bundler replaces
 * process.env.NODE_ENV, drops the text, and the error's message is then its type (options: the
 * option's name). Node keeps every text unless NODE_ENV is 'production'. The check sits at each
 * site because bundlers fold it only there, not through an imported constant. It is the bare
 * check, with no `typeof process` guard (a browser development build has no `process` and would
 * lose its texts), so a page that loads core without any bundler must define
 * `globalThis.process = { env: {} }` first (README, Troubleshooting).
 *
 * So what a program needs to tell two failures of one type apart is never only in the text: it is
 * in `details` (short snake_case `reason` codes for the kit's own checks, plus the numbers), or
 * in `cause`. The shapes per type are listed below and in the README; tests in
 * test/production-error-details.test.ts hold them in a production bundle.
 */
export type SessionErrorType =
  /** Every attempt of a cycle failed; `cause` is the last attempt's failure. */
  | 'error:client:reconnection_failed'
  /** An attempt could not reach the server (refused, timed out, wrong URL); `details` `{ code, reason }` say how. */
  | 'error:client:unreachable'
  /**
   * The server refused the token at login: `{ code: 4401, reason }` (the server's words). Adapters:
   * `{ code }` (the SDK's error code, `cause` its error), `{ reason: 'no_session_id' }`.
   */
  | 'error:client:login_failed'
  /**
   * A token that cannot be used. `details.reason`: 'not_a_jwt' (not a string, or not a decodable
   * JWT), 'token_refused' (the server refused it before; never sent again), 'other_user'
   * (updateToken() with a token whose `sub` is not `expectedSub`), or `{ code, reason }` with the
   * server's words when it refused a token update.
   */
  | 'error:client:token_invalid'
  | 'error:client:token_expired'
  /**
   * Getting a token from fetchToken() failed. `details.reason`: 'rejected' (`cause` is its error),
   * 'timeout' (`{ timeoutMs }`, `cause` an Error named 'TimeoutError'), 'not_a_string',
   * 'token_in_use' or 'token_refused' (it gave the token in use, or one the server refused).
   * A SessionError that fetchToken() throws itself is passed on as it is.
   */
  | 'error:client:fetch_token_failed'
  /** The server could no longer replay some events; `details` is `{ fromSeq, toSeq }`. */
  | 'error:client:events_missed'
  | 'error:client:websocket_unavailable'
  /**
   * An API call that cannot run now. `details.reason`: 'not_logged_in', 'logged_in' (login() twice),
   * 'no_token' (login() with neither a token nor fetchToken), 'no_fetch_token', 'token_refused'
   * (connect() after the server refused the last token), 'no_messages' (send() on a transport
   * without app messages), 'superseded' (a token request a logout or new login made moot).
   */
  | 'error:client:invalid_state'
  /** `details` `{ max }`: the outbox.max option. */
  | 'error:client:outbox_full'
  /** `details` `{ bytes, maxBytes }` (checked by send()), or `{ reason }`: the server's words when it refused it. */
  | 'error:client:message_too_big'
  /**
   * `details.reason`: 'not_json' (`cause`: JSON.stringify's error, if any), 'too_deep'
   * (`{ maxDepth }`), or the server's words when it refused the message.
   */
  | 'error:client:invalid_message'
  /** `details.reason` is 'taken_over' when another connection took the session over; none after logout() (here or in another tab). */
  | 'error:client:logged_out'
  | 'error:client:destroyed'
  /**
   * A transport's trouble. The connector could not open a socket: `cause` is its error. Reported
   * as an 'error' event, with `details.reason`: 'bad_frame' (a server frame was ignored); from the
   * adapters 'max_retries', 'refresh_failed' (with `cause`), 'no_answer_logger', 'no_answer'.
   */
  | 'error:client:transport';

export class SessionError extends Error {
  override readonly name = 'SessionError';
  readonly type: SessionErrorType;
  override readonly cause?: unknown;
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(type: SessionErrorType, message: string, cause?: unknown, details?: Record<string, unknown>) {
    super(message || type);
    this.type = type;
    if (cause !== undefined) this.cause = cause;
    if (details !== undefined) this.details = details;
  }
}

/** Thrown synchronously by createSession / transports for an option that cannot work. */
export class SessionOptionsError extends TypeError {
  override readonly name = 'SessionOptionsError';
  /** Dotted path of the offending option, e.g. `reconnect.jitter`. */
  readonly option: string;

  /** `problem` is empty in production builds: the message then names the option only. */
  constructor(option: string, problem: string) {
    super(`Invalid option \`${option}\`${problem && `: ${problem}`}`);
    this.option = option;
  }
}

/** The plain-object form stored in state (errors are not serialisable, objects are). */
export interface SessionErrorInfo {
  type: SessionErrorType;
  message: string;
  cause?: unknown;
  details?: Readonly<Record<string, unknown>>;
}

export function toErrorInfo(err: SessionError): SessionErrorInfo {
  const info: SessionErrorInfo = { type: err.type, message: err.message };
  if (err.cause !== undefined) info.cause = err.cause;
  if (err.details !== undefined) info.details = err.details;
  return info;
}
