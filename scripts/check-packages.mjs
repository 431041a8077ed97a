// Lints every publishable package as it would be published: publint (package.json/exports
// correctness) and are-the-types-wrong (types resolve for ESM and CJS consumers).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const packages = readdirSync('packages')
  .map((name) => `packages/${name}`)
  .filter((dir) => !JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')).private);
let failed = false;
for (const dir of packages) {
  for (const [cmd, args] of [
    ['npx', ['publint', '--strict', dir]],
    [
      'npx',
      [
        'attw',
        '--pack',
        dir,
        '--profile',
        'node16',
        '--format',
        'table-flipped',
        '--exclude-entrypoints',
        'styles.css',
      ],
    ],
  ]) {
    try {
      execFileSync(cmd, args, { stdio: 'pipe', encoding: 'utf8' });
      console.log(`ok   ${args[0]} ${dir}`);
    } catch (err) {
      failed = true;
      console.error(`FAIL ${args[0]} ${dir}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    }
  }
}
process.exit(failed ? 1 : 0);
