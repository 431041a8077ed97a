import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { ConnectionBanner } from '../components/connection-banner/connection-banner.js';
import { ConnectionStatusBadge } from '../components/connection-status-badge/connection-status-badge.js';
import { TokenRefreshPrompt } from '../components/token-refresh-prompt/token-refresh-prompt.js';
import type { Catalog } from './locales.js';
import { de, fr } from './locales.js';
import type { MomentName } from './moments.js';
import { loadMoment } from './moments.js';
import type { Scenario } from './scenario.js';
import { withScenario } from './scenario-provider.js';
import { momentArgType, settled } from './story-helpers.js';

const catalogs: Record<string, Catalog | undefined> = { en: undefined, de, fr };

interface Args {
  locale: 'en' | 'de' | 'fr';
  moment: MomentName;
}

/**
 * Every string the components show comes from `messages`: pass a whole catalog, or only the
 * strings you change. Strings with numbers are functions, so each language places them itself.
 */
const meta = {
  title: 'Guides/i18n',
  tags: ['autodocs'],
  args: { locale: 'de', moment: 'waitingForAttempt3' },
  argTypes: {
    locale: {
      description: 'Story control: which catalog to pass as `messages`.',
      control: { type: 'inline-radio' },
      options: ['en', 'de', 'fr'],
    },
    ...momentArgType,
  },
  loaders: [loadMoment],
  decorators: [withScenario],
  render: ({ locale }, { loaded }) => {
    const catalog = catalogs[locale];
    return (
      <div className="story-frame" lang={locale}>
        <div>
          <ConnectionStatusBadge {...(catalog ? { messages: catalog.badge } : {})} />
        </div>
        <ConnectionBanner {...(catalog ? { messages: catalog.banner } : {})} />
        <TokenRefreshPrompt
          {...(catalog ? { messages: catalog.prompt } : {})}
          onRefresh={async () => (loaded as { scenario: Scenario }).scenario.tokenFor(3600)}
        />
      </div>
    );
  },
} satisfies Meta<Args>;
export default meta;
type Story = StoryObj<typeof meta>;

/** German, waiting for attempt 3: the attempt numbers sit where German puts them. */
export const German: Story = {
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(canvasElement.querySelector('.nxs-banner [role="status"]')?.textContent).toBe(
      'Verbindung unterbrochen. Warte auf Versuch 3 von 5.',
    );
    await expect(canvasElement.textContent).toContain('Versuch 3 in 4 s');
    await expect(canvasElement.querySelector('.nxs-badge__label')?.textContent).toBe('Neuer Versuch');
  },
};

/** French, after the failure: the resume-window countdown is formatted for the sentence. */
export const FrenchFailed: Story = {
  name: 'French, failed',
  args: { locale: 'fr', moment: 'failed' },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(within(canvasElement).getByRole('alert').textContent).toBe('Reconnexion impossible.');
    await expect(canvasElement.textContent).toContain('Reconnectez-vous d’ici 4:28');
    await expect(within(canvasElement).getByRole('button', { name: 'Se reconnecter' })).toBeVisible();
  },
};

export const GermanTokenExpired: Story = {
  name: 'German, token expired',
  args: { moment: 'tokenExpired' },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(within(canvasElement).getByRole('alert').textContent).toBe(
      'Ihre Anmeldung ist abgelaufen; die Verbindung wurde getrennt.',
    );
    await expect(within(canvasElement).getByRole('button', { name: 'Erneut anmelden' })).toBeVisible();
  },
};
