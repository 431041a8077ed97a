/** Every string the components show, in English. Pass `messages` to override any of them (i18n). */
export interface BannerMessages {
  /** While attempt n runs (n is the store's retryCount and the `reconnecting(n)` event). Announced. */
  reconnecting: (info: { attempt: number; maxRetries: number }) => string;
  /** While waiting for attempt n (after the loss, or after attempt n−1 failed). Announced. */
  waiting: (info: { attempt: number; maxRetries: number }) => string;
  /** While a `connect()` outside the automatic cycle runs (Reconnect, recovery with a new token). Announced. */
  reconnectingNow: string;
  /** The countdown to attempt n (not announced). */
  retryingIn: (info: { attempt: number; seconds: number }) => string;
  /** Beside the running attempt, and when the countdown reaches 0. */
  connectingNow: string;
  retryNow: string;
  failed: string;
  windowLeft: (info: { time: string }) => string;
  windowPassed: string;
  reconnect: string;
  sessionLost: string;
  dismiss: string;
  offline: string;
  reconnected: string;
  loginFailed: string;
}

export const defaultBannerMessages: BannerMessages = {
  reconnecting: ({ attempt, maxRetries }) => `Connection lost. Reconnecting (attempt ${attempt} of ${maxRetries})…`,
  waiting: ({ attempt, maxRetries }) => `Connection lost. Waiting for attempt ${attempt} of ${maxRetries}.`,
  reconnectingNow: 'Connection lost. Reconnecting…',
  retryingIn: ({ attempt, seconds }) => `Attempt ${attempt} in ${seconds} s`,
  connectingNow: 'Connecting…',
  retryNow: 'Retry now',
  failed: 'Could not reconnect.',
  windowLeft: ({ time }) => `Reconnect within ${time} to keep your session and any active call.`,
  windowPassed: 'Reconnecting will start a new session.',
  reconnect: 'Reconnect',
  sessionLost: 'Your previous session could not be resumed, so a new one was started. Any active call has ended.',
  dismiss: 'Dismiss',
  offline: 'You are offline. We will reconnect when the network is back.',
  reconnected: 'Reconnected.',
  loginFailed: 'Sign-in failed: the server refused the token.',
};

export interface TokenPromptMessages {
  expiring: (info: { time: string }) => string;
  /** The button while the sign-in is still valid. */
  refresh: string;
  refreshing: string;
  expired: string;
  /** The button after the sign-in has expired. */
  signInAgain: string;
  windowLeft: (info: { time: string }) => string;
  refreshFailed: string;
  tryAgain: string;
}

export const defaultTokenPromptMessages: TokenPromptMessages = {
  expiring: ({ time }) => `Your sign-in expires in ${time}.`,
  refresh: 'Stay signed in',
  refreshing: 'Refreshing your sign-in…',
  expired: 'Your sign-in expired and the connection was closed.',
  signInAgain: 'Sign in again',
  windowLeft: ({ time }) => `Refresh within ${time} to keep your session.`,
  refreshFailed: 'Could not refresh your sign-in.',
  tryAgain: 'Try again',
};

export interface BadgeMessages {
  idle: string;
  connecting: string;
  connected: string;
  reconnecting: string;
  disconnected: string;
  offline: string;
}

export const defaultBadgeMessages: BadgeMessages = {
  idle: 'Signed out',
  connecting: 'Connecting',
  connected: 'Connected',
  reconnecting: 'Reconnecting',
  disconnected: 'Disconnected',
  offline: 'Offline',
};
