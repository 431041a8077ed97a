import type { Preview } from '@storybook/react-vite';
import '../packages/react/src/styles.css';
import './preview.css';

const preview: Preview = {
  parameters: {
    layout: 'padded',
    controls: { disable: true },
  },
};
export default preview;
