// Lints every publishable package as it would be published:
// - publint --strict: package.json and exports correctness;
// - are-the-types-wrong on the packed tarball, every entry of `exports`, every resolution mode
//   (node10, node16 from CJS, node16 from ESM, bundler): types AND the JavaScript file resolve;
// - the tarball carries README.md and LICENSE, and the node10 signposts match `exports`
//   (scripts/subpath-stubs.mjs --check).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'pipe', encoding: 'utf8', maxBuffer: 64 << 20 });
const failures = [];
const step = (name, fn) => {
  try {
    const problems = fn() ?? [];
    if (problems.length > 0) throw new Error(problems.join('\n'));
    console.log(`ok   ${name}`);
  } catch (err) {
    failures.push(name);
    console.error(`FAIL ${name}\n${err.stdout ?? ''}${err.stderr ?? ''}${err.stdout || err.stderr ? '' : err.message}`);
  }
};

step('node10 signposts (scripts/subpath-stubs.mjs --check)', () => {
  run(process.execPath, ['scripts/subpath-stubs.mjs', '--check']);
});

const packages = readdirSync('packages')
  .map((name) => `packages/${name}`)
  .filter((dir) => !JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')).private);

for (const dir of packages) {
  const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
  step(`publint ${dir}`, () => {
    run('npx', ['publint', '--strict', dir]);
  });

  step(`attw ${dir} (every entry, every resolution mode)`, () => {
    let out;
    try {
      out = run('npx', ['attw', '--pack', dir, '--format', 'json']);
    } catch (err) {
      out = err.stdout; // attw exits 1 on problems; the JSON says which
      if (!out) throw err;
    }
    const { analysis } = JSON.parse(out);
    const problems = (analysis.problems ?? []).map((p) => `${p.kind} ${p.entrypoint ?? ''} ${p.resolutionKind ?? ''}`);
    for (const subpath of Object.keys(pkg.exports)) {
      const entry = analysis.entrypoints[subpath];
      if (!entry) {
        problems.push(`${subpath}: not analysed`);
        continue;
      }
      const isModule = !/\.(css|json)$/.test(subpath);
      for (const [mode, r] of Object.entries(entry.resolutions)) {
        if (!r.resolution?.fileName) problems.push(`${subpath} [${mode}]: no types`);
        // A stylesheet has no JavaScript for TypeScript to find; the tarball check below covers it.
        if (isModule && !r.implementationResolution?.fileName) problems.push(`${subpath} [${mode}]: no JavaScript`);
      }
    }
    return problems;
  });

  step(`tarball ${dir} (README, LICENSE, every entry's files)`, () => {
    const [packed] = JSON.parse(run('npm', ['pack', '--dry-run', '--json', `./${dir}`]));
    const files = new Set(packed.files.map((f) => f.path));
    const problems = [];
    for (const required of ['README.md', 'LICENSE', 'package.json']) {
      if (!files.has(required)) problems.push(`missing ${required}`);
    }
    const targets = (value) =>
      typeof value === 'string' ? [value] : Object.values(value ?? {}).flatMap((v) => targets(v));
    for (const [subpath, entry] of Object.entries(pkg.exports)) {
      for (const target of targets(entry)) {
        if (!files.has(target.replace(/^\.\//, ''))) problems.push(`${subpath}: ${target} is not in the tarball`);
      }
      // Where node10 looks: the file itself (stylesheets) or a signpost folder (modules).
      const bare = subpath.replace(/^\.\/?/, '');
      if (bare && bare !== 'package.json' && !files.has(bare) && !files.has(`${bare}/package.json`)) {
        problems.push(`${subpath}: nothing at ${bare} for node10 resolvers`);
      }
    }
    return problems;
  });
}

if (failures.length > 0) {
  console.error(`\n${failures.length} package check(s) failed.`);
  process.exit(1);
}
