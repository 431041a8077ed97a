// The `./styles.css` entry after tsup: the stylesheet in dist (what `exports` points at), an empty
// declaration for each module format so TypeScript resolves the side-effect import (required under
// `noUncheckedSideEffectImports`), and a copy of both at the package root for resolvers that ignore
// `exports` (TypeScript's node10, webpack 4, Jest).
import { copyFileSync, writeFileSync } from 'node:fs';

const declaration =
  '// `import "@nexmo-session/react/styles.css"` loads the stylesheet; it exports nothing.\nexport {};\n';
copyFileSync('src/styles.css', 'dist/styles.css');
writeFileSync('dist/styles.d.css.ts', declaration);
writeFileSync('dist/styles.d.cts', declaration);
copyFileSync('src/styles.css', 'styles.css');
writeFileSync('styles.d.css.ts', declaration);
