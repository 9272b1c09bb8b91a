// Writes `<file>.br` and `<file>.gz` beside every compressible file of a build, so the gateway serves
// compressed bytes without compressing on each request. Vite plugin, or CLI: node precompress.mjs <dir>.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.ico', '.webmanifest', '.map']);
/** Below this a compressed copy saves less than its headers cost. */
const MIN_BYTES = 512;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

/** Compresses every eligible file under `dir`; returns how many copies were written. */
export function precompressDir(dir) {
  let written = 0;
  for (const path of files(dir)) {
    if (!COMPRESSIBLE.has(extname(path))) continue;
    const raw = readFileSync(path);
    if (raw.length < MIN_BYTES) continue;
    const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
    const gz = gzipSync(raw, { level: 9 });
    // A copy that is not smaller is never worth serving.
    if (br.length < raw.length) (writeFileSync(`${path}.br`, br), written++);
    if (gz.length < raw.length) (writeFileSync(`${path}.gz`, gz), written++);
  }
  return written;
}

/** @returns {import('vite').Plugin} */
export function precompress() {
  let outDir = 'dist';
  return {
    name: 'precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    // After everything (public/ included) is written.
    closeBundle() {
      precompressDir(outDir);
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node precompress.mjs <dir>\n');
    process.exit(2);
  }
  process.stdout.write(`precompressed: ${precompressDir(resolve(dir))} files\n`);
}
