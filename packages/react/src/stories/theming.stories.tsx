import type { Meta, StoryObj } from '@storybook/react-vite';
import type { CSSProperties } from 'react';
import { expect } from 'storybook/test';
import type { Gallery } from './theme-gallery.js';
import { gallerySettled, loadGallery, ThemeGallery } from './theme-gallery.js';

/**
 * Theming: styles.css reads every colour from custom properties (`--nxs-*`). Dark mode follows
 * `prefers-color-scheme`, or is set on any ancestor with `class="nxs-dark"` or `data-theme="dark"`
 * (`nxs-light` / `data-theme="light"` force light). Every story here is checked by axe for
 * contrast, under a light and under a dark system preference.
 */
const meta: Meta = {
  title: 'Guides/Theming',
  tags: ['autodocs'],
  loaders: [loadGallery],
};
export default meta;
type Story = StoryObj;

const galleryOf = (loaded: Record<string, unknown>) => (loaded as { gallery: Gallery }).gallery;
const bannerBackground = (canvas: HTMLElement, state: string) => {
  const el = canvas.querySelector(`.nxs-banner[data-state="${state}"]`);
  if (!el) throw new Error(`no banner in state ${state}`);
  return getComputedStyle(el).backgroundColor;
};
const systemIsDark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;
const lightWarning = 'rgb(255, 247, 224)'; // #fff7e0
const darkWarning = 'rgb(59, 47, 11)'; // #3b2f0b

/** No class, no attribute: the components follow the system's colour scheme. */
export const SystemPreference: Story = {
  parameters: {
    docs: {
      source: {
        language: 'tsx',
        code: `import '@nexmo-session/react/styles.css'; // follows prefers-color-scheme by itself`,
      },
    },
  },
  render: (_args, { loaded }) => <ThemeGallery gallery={galleryOf(loaded)} />,
  play: async ({ canvasElement, loaded, globals }) => {
    await gallerySettled(galleryOf(loaded));
    const dark = globals.theme === 'dark' || (globals.theme !== 'light' && systemIsDark());
    await expect(bannerBackground(canvasElement, 'reconnecting')).toBe(dark ? darkWarning : lightWarning);
  },
};

/** `class="nxs-dark"` on an ancestor: dark whatever the system says. */
export const DarkClass: Story = {
  parameters: {
    docs: {
      source: {
        language: 'tsx',
        code: `<div className="nxs-dark">
  <ConnectionBanner />
</div>`,
      },
    },
  },
  render: (_args, { loaded }) => <ThemeGallery gallery={galleryOf(loaded)} className="nxs-dark" />,
  play: async ({ canvasElement, loaded }) => {
    await gallerySettled(galleryOf(loaded));
    await expect(bannerBackground(canvasElement, 'reconnecting')).toBe(darkWarning);
  },
};

/** `data-theme="dark"` works the same, for apps that keep their theme in an attribute. */
export const DarkAttribute: Story = {
  parameters: { docs: { source: { language: 'tsx', code: `<html data-theme="dark">` } } },
  render: (_args, { loaded }) => <ThemeGallery gallery={galleryOf(loaded)} theme="dark" />,
  play: async ({ canvasElement, loaded }) => {
    await gallerySettled(galleryOf(loaded));
    await expect(bannerBackground(canvasElement, 'reconnecting')).toBe(darkWarning);
  },
};

/** `data-theme="light"` (or `nxs-light`) keeps a part of a dark page light. */
export const ForcedLight: Story = {
  parameters: {
    docs: {
      source: {
        language: 'tsx',
        code: `<aside data-theme="light">
  <ConnectionBanner />
</aside>`,
      },
    },
  },
  render: (_args, { loaded }) => <ThemeGallery gallery={galleryOf(loaded)} theme="light" />,
  play: async ({ canvasElement, loaded }) => {
    await gallerySettled(galleryOf(loaded));
    await expect(bannerBackground(canvasElement, 'reconnecting')).toBe(lightWarning);
  },
};

/** A brand palette with rounder corners (also the snippet under the story). */
const brand = {
  '--nxs-radius': '14px',
  '--nxs-warning-bg': '#eef2ff',
  '--nxs-warning-fg': '#312e81',
  '--nxs-warning-border': '#818cf8',
  '--nxs-danger-bg': '#fff1f2',
  '--nxs-danger-fg': '#881337',
  '--nxs-danger-border': '#fb7185',
  '--nxs-button-bg': '#4338ca',
  '--nxs-button-fg': '#ffffff',
};

/**
 * Your own palette: set the `--nxs-*` properties on any ancestor (or `:root`). Here a brand
 * theme with rounder corners.
 */
export const CustomProperties: Story = {
  parameters: {
    docs: {
      source: {
        language: 'css',
        code: `:root {\n${Object.entries(brand)
          .map(([name, value]) => `  ${name}: ${value};`)
          .join('\n')}\n}`,
      },
    },
  },
  render: (_args, { loaded }) => (
    <ThemeGallery gallery={galleryOf(loaded)} theme="light" style={brand as CSSProperties} />
  ),
  play: async ({ canvasElement, loaded }) => {
    await gallerySettled(galleryOf(loaded));
    await expect(bannerBackground(canvasElement, 'reconnecting')).toBe('rgb(238, 242, 255)');
    const banner = canvasElement.querySelector('.nxs-banner[data-state="reconnecting"]') as HTMLElement;
    await expect(getComputedStyle(banner).borderTopLeftRadius).toBe('14px');
  },
};
