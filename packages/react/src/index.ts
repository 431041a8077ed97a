export type {
  BannerState,
  BannerView,
  ConnectionBannerProps,
} from './components/connection-banner/connection-banner.js';
export { ConnectionBanner } from './components/connection-banner/connection-banner.js';
export type {
  BadgeState,
  ConnectionStatusBadgeProps,
} from './components/connection-status-badge/connection-status-badge.js';
export { ConnectionStatusBadge } from './components/connection-status-badge/connection-status-badge.js';
export { Countdown } from './components/countdown.js';
export type {
  TokenPromptState,
  TokenPromptView,
  TokenRefreshPromptProps,
} from './components/token-refresh-prompt/token-refresh-prompt.js';
export { TokenRefreshPrompt } from './components/token-refresh-prompt/token-refresh-prompt.js';
export { useSessionInstance } from './context.js';
export type { SessionActions } from './hooks/session-hooks.js';
export {
  useConnectionStatus,
  useNexmoSession,
  useSessionActions,
  useSessionEvent,
  useTokenExpiry,
} from './hooks/session-hooks.js';
export { shallowEqual } from './hooks/store-slice.js';
export { formatSeconds, useCountdown } from './hooks/use-countdown.js';
export type { BadgeMessages, BannerMessages, TokenPromptMessages } from './messages.js';
export { defaultBadgeMessages, defaultBannerMessages, defaultTokenPromptMessages } from './messages.js';
export type { BannerFacts, BannerModel } from './models/banner-view.js';
export { bannerText, bannerView } from './models/banner-view.js';
export type {
  TokenPromptAction,
  TokenPromptContext,
  TokenPromptFacts,
  TokenPromptModel,
} from './models/token-prompt-view.js';
export { promptView } from './models/token-prompt-view.js';
export type { ProviderSessionOptions, SessionProviderProps } from './session-provider.js';
export { SessionProvider } from './session-provider.js';
