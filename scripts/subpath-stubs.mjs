// Subpath entries for consumers that ignore `exports` (TypeScript's `moduleResolution: node`
// a.k.a. node10, Jest's and webpack 4's resolvers): for every `./name` in a package's exports map
// that points at a built module, a folder `name/` holding a package.json whose main/module/types
// point into dist. `exports` stays the single source of truth; this script derives the folders
// from it and lists them in `files`.
//
//   node scripts/subpath-stubs.mjs           write the folders and `files` entries
//   node scripts/subpath-stubs.mjs --check   exit 1 if anything is missing or stale (npm test)
//
// Adding an entry to a package: add it to `exports` (and tsup's entry list), run this script,
// commit the new folder. Non-module entries (`./styles.css`) are copied to the package root by
// that package's build instead (packages/react/scripts/styles-entry.mjs): a folder cannot stand
// in for a file.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const check = process.argv.includes('--check');
const problems = [];

/** The stub for one exports entry, or null when the entry is not a built module. */
function stubFor(entry) {
  if (typeof entry !== 'object' || entry === null) return null;
  const cjs = entry.require;
  const esm = entry.import;
  if (!/\.c?js$/.test(cjs?.default ?? '') || !cjs?.types) return null;
  const up = (p) => `.${p}`; // "./dist/x.cjs" seen from "name/" is "../dist/x.cjs"
  return {
    // No "name": this is not a package, only a signpost (tools that walk up for the nearest
    // package.json to decide the module format find the real one, whose files these point at).
    private: true,
    main: up(cjs.default),
    ...(esm?.default ? { module: up(esm.default) } : {}),
    types: up(cjs.types),
  };
}

for (const name of readdirSync('packages')) {
  const dir = join('packages', name);
  const pkgFile = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  if (pkg.private || !pkg.exports) continue;
  const files = [...(pkg.files ?? [])];
  for (const [subpath, entry] of Object.entries(pkg.exports)) {
    if (subpath === '.' || subpath === './package.json') continue;
    const folder = subpath.slice(2);
    const stub = stubFor(entry);
    if (!stub) {
      // A plain file entry: the package's build must put the file at the subpath itself.
      if (!files.includes(folder))
        problems.push(`${pkg.name}: "files" lacks "${folder}" (the node10 copy of ${subpath})`);
      continue;
    }
    const text = `${JSON.stringify(stub, null, 2)}\n`;
    const stubFile = join(dir, folder, 'package.json');
    const current = existsSync(stubFile) ? readFileSync(stubFile, 'utf8') : null;
    if (current !== text) {
      if (check) problems.push(`${pkg.name}: ${stubFile} is ${current === null ? 'missing' : 'stale'}`);
      else {
        mkdirSync(join(dir, folder), { recursive: true });
        writeFileSync(stubFile, text);
        console.log(`wrote ${stubFile}`);
      }
    }
    if (!files.includes(folder)) {
      if (check) problems.push(`${pkg.name}: "files" lacks "${folder}"`);
      else files.push(folder);
    }
  }
  if (!check && files.length !== (pkg.files ?? []).length) {
    pkg.files = files;
    writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
    console.log(`updated "files" in ${pkgFile}`);
  }
}

if (problems.length > 0) {
  console.error(`${problems.join('\n')}\nRun \`node scripts/subpath-stubs.mjs\` and commit the result.`);
  process.exit(1);
}
