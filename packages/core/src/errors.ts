/**
 * Every failure the kit reports is a SessionError with a `type` string from this list, so apps
 * can branch on `err.type` exactly as they do with the SDK's `error:client:reconnection_failed`.
 */
export type SessionErrorType =
  | 'error:client:reconnection_failed'
  | 'error:client:login_failed'
  | 'error:client:token_invalid'
  | 'error:client:token_expired'
  | 'error:client:token_refresh_failed'
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

  constructor(type: SessionErrorType, message: string, cause?: unknown) {
    super(message);
    this.type = type;
    if (cause !== undefined) this.cause = cause;
  }
}

/** Thrown synchronously by createSession / transports for an option that cannot work. */
export class SessionOptionsError extends TypeError {
  override readonly name = 'SessionOptionsError';
  /** Dotted path of the offending option, e.g. `reconnect.jitter`. */
  readonly option: string;

  constructor(option: string, problem: string) {
    super(`Invalid option \`${option}\`: ${problem}`);
    this.option = option;
  }
}

/** The plain-object form stored in state (errors are not serialisable, objects are). */
export interface SessionErrorInfo {
  type: SessionErrorType;
  message: string;
  cause?: unknown;
}

export function toErrorInfo(err: SessionError): SessionErrorInfo {
  return err.cause === undefined
    ? { type: err.type, message: err.message }
    : { type: err.type, message: err.message, cause: err.cause };
}
