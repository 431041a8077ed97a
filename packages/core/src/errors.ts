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
 * site because bundlers fold it only there, not through an imported constant; `typeof` keeps a
 * browser without a bundler (no `process`) working, with the short messages.
 */
export type SessionErrorType =
  /** Every attempt of a cycle failed; `cause` is the last attempt's failure. */
  | 'error:client:reconnection_failed'
  /** An attempt could not reach the server (refused, timed out, wrong URL); `details` says how. */
  | 'error:client:unreachable'
  /** The server refused the token at login (close 4401); `details.reason` is the server's reason. */
  | 'error:client:login_failed'
  /** A token that is not a JWT, belongs to another user, or that the server refused in an update. */
  | 'error:client:token_invalid'
  | 'error:client:token_expired'
  /** fetchToken() rejected or did not settle within fetchTokenTimeoutMs; `cause` is its error. */
  | 'error:client:fetch_token_failed'
  /** The server could no longer replay some events; `details` is `{ fromSeq, toSeq }`. */
  | 'error:client:events_missed'
  | 'error:client:websocket_unavailable'
  | 'error:client:invalid_state'
  | 'error:client:outbox_full'
  | 'error:client:message_too_big'
  | 'error:client:invalid_message'
  | 'error:client:logged_out'
  | 'error:client:destroyed'
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
