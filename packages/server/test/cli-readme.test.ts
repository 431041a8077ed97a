import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliFlags, flagsMarkdown } from '../src/cli-flags.js';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

describe('README: the CLI flag table', () => {
  it('is the one generated from cli-flags.ts (run `node scripts/cli-flags-readme.mjs` after changing a flag)', () => {
    const block = /<!-- cli-flags:start -->\n([\s\S]*?)\n<!-- cli-flags:end -->/.exec(readme);
    expect(block, 'README.md needs a cli-flags:start … cli-flags:end block').not.toBeNull();
    expect(block?.[1]).toBe(flagsMarkdown());
    for (const flag of cliFlags) expect(block?.[1]).toContain(`\`--${flag.name}`);
  });
});
