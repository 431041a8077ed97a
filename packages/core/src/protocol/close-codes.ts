/**
 * WebSocket close codes of the protocol (design §3), and what each one means to a client.
 * The server closes with these; the client transport decides retry / re-auth / stop from them.
 */
export const CloseCode = {
  normal: 1000,
  /** Server shutting down: retry. */
  goingAway: 1001,
  /** Frame larger than the announced maxFrameBytes. */
  tooBig: 1009,
  /** The token reached `exp` (preceded by `session:disconnect` TOKEN_EXPIRED): no retry with it. */
  tokenExpired: 4001,
  /** A frame the server could not parse or that broke the protocol. */
  malformed: 4400,
  /** The token was refused at login: no retry with it. */
  invalidToken: 4401,
  /** No `session:login` within the login timeout. */
  loginTimeout: 4408,
  /** The session was taken over by a newer connection (another tab, another process). */
  replaced: 4409,
  /** A flood far beyond the announced limits; the preceding `session:error` says how long to wait. */
  rateLimited: 4429,
  /** The server cannot serve logins or resumes right now (e.g. its shared store is down): retry later. */
  unavailable: 4503,
} as const;

export type CloseCodeName = keyof typeof CloseCode;
export type ProtocolCloseCode = (typeof CloseCode)[CloseCodeName];

/** How a client treats a close code: retry on the schedule, stop for a new token, or end the session. */
export type CloseAction = 'retry' | 'token_expired' | 'login_failed' | 'replaced';

export function closeAction(code: number): CloseAction {
  // Literals, not CloseCode.*: the client needs only these three, and the table stays out of its bundle.
  return code === 4001 ? 'token_expired' : code === 4401 ? 'login_failed' : code === 4409 ? 'replaced' : 'retry';
}
