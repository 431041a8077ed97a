import type { Decorator, Preview } from '@storybook/react-vite';
import '../packages/react/src/styles.css';
import './preview.css';

/**
 * The theme toolbar: "system" follows prefers-color-scheme (the browser tests run every story
 * once with a light and once with a dark preference); light and dark set data-theme, the
 * explicit switch styles.css documents.
 */
const withTheme: Decorator = (Story, { globals }) => {
  const theme = globals.theme === 'light' || globals.theme === 'dark' ? globals.theme : undefined;
  return (
    <div className="story-theme" data-theme={theme}>
      <Story />
    </div>
  );
};

const preview: Preview = {
  decorators: [withTheme],
  globalTypes: {
    theme: {
      description: 'Colour scheme of the components',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'system', title: 'System (prefers-color-scheme)' },
          { value: 'light', title: 'Light (data-theme="light")' },
          { value: 'dark', title: 'Dark (data-theme="dark")' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'system' },
  parameters: {
    layout: 'padded',
    controls: { expanded: true, sort: 'requiredFirst' },
    // Every story is checked with axe after its play function; a violation fails the test run.
    a11y: { test: 'error' },
    // "Show code" shows the story's component and props; the theme and session wrappers stay out.
    docs: { codePanel: true, source: { excludeDecorators: true } },
  },
};
export default preview;
