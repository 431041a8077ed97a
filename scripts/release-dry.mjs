// `npm run release:dry`: a release rehearsal that never touches the working tree.
//   1. build the packages (skipped with --no-build, when the caller just built them);
//   2. copy the repository's release inputs (root package.json, .changeset/, packages/*) to a
//      temporary folder;
//   3. `changeset version` there, with the pending changesets, or a patch bump when there are none;
//   4. check that the fixed group moved together and the internal dependency ranges follow;
//   5. `npm pack` each package and check each tarball's package.json.
// Prints the tarballs; `--keep` leaves the temporary folder for a look.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = new Set(process.argv.slice(2));
const run = (cmd, cmdArgs, cwd) =>
  execFileSync(cmd, cmdArgs, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const fail = (message) => {
  console.error(`release:dry: ${message}`);
  process.exitCode = 1;
};

if (!args.has('--no-build')) {
  console.log('building the packages');
  run('npm', ['run', 'build'], root);
}

// What the rehearsal must leave exactly as it found it.
const snapshot = () =>
  ['package.json', ...readdirSync(join(root, 'packages')).map((n) => `packages/${n}/package.json`)]
    .concat(readdirSync(join(root, '.changeset')).map((f) => `.changeset/${f}`))
    .map((f) => `${f}\n${readFileSync(join(root, f), 'utf8')}`)
    .join('\n');
const untouched = snapshot();

const work = mkdtempSync(join(tmpdir(), 'nexmo-session-release-'));
try {
  // The inputs `changeset version` reads and writes, and what `npm pack` ships: nothing else.
  cpSync(join(root, 'package.json'), join(work, 'package.json'));
  cpSync(join(root, '.changeset'), join(work, '.changeset'), { recursive: true });
  const names = readdirSync(join(root, 'packages')).filter(
    (n) => !readJson(join(root, 'packages', n, 'package.json')).private,
  );
  for (const name of names) {
    cpSync(join(root, 'packages', name), join(work, 'packages', name), {
      recursive: true,
      filter: (src) => !src.includes(`${name}/node_modules`),
    });
  }
  // The changelog generator named in config.json resolves from the copy's node_modules.
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');

  const before = Object.fromEntries(names.map((n) => [n, readJson(join(work, 'packages', n, 'package.json'))]));
  const pending = readdirSync(join(work, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  if (pending.length === 0) {
    const frontMatter = names.map((n) => `'${before[n].name}': patch`).join('\n');
    writeFileSync(join(work, '.changeset', 'release-dry-run.md'), `---\n${frontMatter}\n---\n\nRelease rehearsal.\n`);
  }
  console.log(
    `changeset version (${pending.length > 0 ? `${pending.length} pending changeset(s)` : 'no pending changesets: a patch bump'})`,
  );
  run(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), 'version'], work);

  const after = Object.fromEntries(names.map((n) => [n, readJson(join(work, 'packages', n, 'package.json'))]));
  const versions = new Set(names.map((n) => after[n].version));
  if (versions.size !== 1) fail(`the fixed group split: ${names.map((n) => `${n}@${after[n].version}`).join(', ')}`);
  const [version] = versions;
  for (const n of names) {
    if (after[n].version === before[n].version) fail(`${after[n].name} was not versioned`);
    for (const [dep, range] of Object.entries(after[n].dependencies ?? {})) {
      if (dep.startsWith('@nexmo-session/') && range !== version) {
        fail(`${after[n].name} depends on ${dep}@${range}, not the released ${version}`);
      }
    }
  }

  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const n of names) {
    const [packed] = JSON.parse(
      run('npm', ['pack', '--json', '--pack-destination', tarballs], join(work, 'packages', n)),
    );
    const manifest = JSON.parse(run('tar', ['-xOzf', join(tarballs, packed.filename), 'package/package.json'], work));
    const files = packed.files.map((f) => f.path);
    if (manifest.version !== version) fail(`${packed.filename} carries version ${manifest.version}`);
    for (const required of ['README.md', 'LICENSE'])
      if (!files.includes(required)) fail(`${packed.filename} lacks ${required}`);
    console.log(`  ${packed.filename}  ${files.length} files, ${(packed.size / 1024).toFixed(1)} kB`);
  }
  // The working tree must be exactly as it was: the rehearsal only ever wrote to the copy.
  if (snapshot() !== untouched) fail('the working tree changed');
  if (!process.exitCode)
    console.log(`release:dry ok: ${names.length} packages at ${version} (from ${before[names[0]].version})`);
} finally {
  if (args.has('--keep')) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
