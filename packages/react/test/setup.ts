import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
});

// Stories run as tests with the same preview annotations Storybook uses.
import { setProjectAnnotations } from '@storybook/react-vite';
import preview from '../../../.storybook/preview.js';

setProjectAnnotations(preview);
