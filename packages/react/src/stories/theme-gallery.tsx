/** Every visible state of the three components at once, for the theming stories. */
import type { CSSProperties } from 'react';
import { ConnectionBanner } from '../components/connection-banner/connection-banner.js';
import { ConnectionStatusBadge } from '../components/connection-status-badge/connection-status-badge.js';
import { TokenRefreshPrompt } from '../components/token-refresh-prompt/token-refresh-prompt.js';
import type { MomentName } from './moments.js';
import { moments, scenarioAt } from './moments.js';
import type { Scenario } from './scenario.js';
import { ScenarioProvider } from './scenario-provider.js';

const galleryMoments = [
  'waitingForAttempt3',
  'failed',
  'offline',
  'reconnected',
  'sessionLost',
  'loginFailed',
  'tokenExpiring',
  'tokenExpired',
] as const satisfies readonly MomentName[];

export type Gallery = Record<(typeof galleryMoments)[number], Scenario>;

export async function loadGallery(): Promise<{ gallery: Gallery }> {
  const scenarios = await Promise.all(galleryMoments.map((name) => scenarioAt(moments[name])));
  return { gallery: Object.fromEntries(galleryMoments.map((name, i) => [name, scenarios[i]])) as Gallery };
}

export async function gallerySettled(gallery: Gallery): Promise<void> {
  for (const scenario of Object.values(gallery)) {
    await scenario.settle();
  }
}

export function ThemeGallery({
  gallery,
  className,
  theme,
  style,
}: {
  gallery: Gallery;
  className?: string;
  theme?: 'light' | 'dark';
  style?: CSSProperties;
}) {
  const refresh = async () => gallery.tokenExpired.tokenFor(3600);
  return (
    <div
      className={['story-frame', 'story-gallery', className].filter(Boolean).join(' ')}
      data-theme={theme}
      style={style}
    >
      {(['waitingForAttempt3', 'failed', 'offline', 'reconnected', 'sessionLost', 'loginFailed'] as const).map(
        (name) => (
          <ScenarioProvider key={name} scenario={gallery[name]}>
            <div className="story-gallery__row">
              <ConnectionStatusBadge />
              <ConnectionBanner />
            </div>
          </ScenarioProvider>
        ),
      )}
      {(['tokenExpiring', 'tokenExpired'] as const).map((name) => (
        <ScenarioProvider key={name} scenario={gallery[name]}>
          <TokenRefreshPrompt onRefresh={refresh} />
        </ScenarioProvider>
      ))}
    </div>
  );
}
