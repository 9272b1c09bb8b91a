// Vite plugin: after a build, prints the gzip size of the JavaScript a first visit loads
// (the entry chunk and everything it imports statically) against the 200 kB budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 200;

/** @returns {import('vite').Plugin} */
export function reportInitialSize() {
  return {
    name: 'report-initial-size',
    apply: 'build',
    // After writing, so the sizes are those of the files served (minified, final).
    writeBundle(options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const byName = new Map(chunks.map((c) => [c.fileName, c]));
      const initial = new Set();
      const visit = (name) => {
        if (initial.has(name)) return;
        const c = byName.get(name);
        if (!c) return;
        initial.add(name);
        c.imports.forEach(visit);
      };
      chunks.filter((c) => c.isEntry).forEach((c) => visit(c.fileName));
      let raw = 0;
      let gz = 0;
      for (const name of initial) {
        const code = readFileSync(join(options.dir, name));
        raw += code.length;
        gz += gzipSync(code).length;
      }
      const lazy = chunks.length - initial.size;
      const kb = (n) => (n / 1000).toFixed(1); // kB as vite prints them
      const verdict = gz / 1000 <= BUDGET_KB ? 'within' : 'OVER';
      console.log(
        `\n[size] initial JS: ${kb(raw)} kB, ${kb(gz)} kB gzip in ${initial.size} chunk(s) — ${verdict} the ${BUDGET_KB} kB gzip budget; ${lazy} lazy chunk(s)\n`,
      );
    },
  };
}
