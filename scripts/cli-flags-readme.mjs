// Renders the CLI's flag table (packages/server/src/cli-flags.ts, the one table `--help` prints)
// into README.md between the cli-flags markers. `--check` only reports whether the README is up to
// date (exit 1 if not). Needs the built server: `npm run build` first. npm test runs the same check
// as packages/server/test/cli-readme.test.ts, from the sources.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const start = '<!-- cli-flags:start -->';
const end = '<!-- cli-flags:end -->';

let flagsMarkdown;
try {
  ({ flagsMarkdown } = await import('../packages/server/dist/index.js'));
} catch (err) {
  console.error(`cli-flags-readme: build the server first (npm run build): ${err.message}`);
  process.exit(2);
}

const readme = readFileSync(readmePath, 'utf8');
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from === -1 || to < from) {
  console.error(`cli-flags-readme: README.md has no ${start} … ${end} block`);
  process.exit(2);
}
const next = `${readme.slice(0, from + start.length)}\n${flagsMarkdown()}\n${readme.slice(to)}`;
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error('cli-flags-readme: README.md is out of date: run node scripts/cli-flags-readme.mjs');
    process.exit(1);
  }
  console.log('cli-flags-readme: README.md is up to date');
} else if (next !== readme) {
  writeFileSync(readmePath, next);
  console.log('cli-flags-readme: README.md updated');
} else {
  console.log('cli-flags-readme: README.md already up to date');
}
