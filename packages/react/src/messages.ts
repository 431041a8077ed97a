/** Every string the components show, in English. Pass `messages` to override any of them (i18n). */
export interface BannerMessages {
  reconnecting: (info: { attempt: number; maxRetries: number }) => string;
  retryingIn: (info: { seconds: number }) => string;
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
  retryingIn: ({ seconds }) => `Next attempt in ${seconds} s`,
  connectingNow: 'Connecting…',
  retryNow: 'Retry now',
  failed: 'Could not reconnect.',
  windowLeft: ({ time }) => `Reconnect within ${time} to keep your session and any active call.`,
  windowPassed: 'Reconnecting will start a new session.',
  reconnect: 'Reconnect',
  sessionLost: 'Your previous session expired, so a new one was started. Any active call has ended.',
  dismiss: 'Dismiss',
  offline: 'You are offline. We will reconnect when the network is back.',
  reconnected: 'Reconnected.',
  loginFailed: 'Sign-in failed: the server refused the token.',
};

export interface TokenPromptMessages {
  expiring: (info: { time: string }) => string;
  refresh: string;
  refreshing: string;
  expired: string;
  windowLeft: (info: { time: string }) => string;
  refreshFailed: string;
  tryAgain: string;
}

export const defaultTokenPromptMessages: TokenPromptMessages = {
  expiring: ({ time }) => `Your sign-in expires in ${time}.`,
  refresh: 'Stay signed in',
  refreshing: 'Refreshing your sign-in…',
  expired: 'Your sign-in expired and the connection was closed.',
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
