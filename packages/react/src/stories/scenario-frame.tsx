/** The whole kit as an app would mount it, over a scenario's session. */
import { ConnectionBanner } from '../components/connection-banner/connection-banner.js';
import { ConnectionStatusBadge } from '../components/connection-status-badge/connection-status-badge.js';
import { TokenRefreshPrompt } from '../components/token-refresh-prompt/token-refresh-prompt.js';
import type { Scenario } from './scenario.js';
import { ScenarioProvider } from './scenario-provider.js';

export function ScenarioFrame({
  scenario,
  caption,
  onRefresh,
}: {
  scenario: Scenario;
  caption: string;
  onRefresh?: (() => Promise<string | undefined>) | undefined;
}) {
  return (
    <ScenarioProvider scenario={scenario}>
      <div className="story-frame">
        <p className="story-caption">{caption}</p>
        <div>
          <ConnectionStatusBadge />
        </div>
        <ConnectionBanner />
        <TokenRefreshPrompt {...(onRefresh ? { onRefresh } : {})} />
      </div>
    </ScenarioProvider>
  );
}
