/**
 * Builds the console into dist/web. Vite 8's own transform (oxc) compiles TSX with the automatic
 * React runtime, so no React plugin is needed (there is no fast refresh in dev; reload instead).
 * After the build a one-line size report goes to the console and to dist/web/size.txt.
 */
import { readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const root = here;
const outDir = resolve(here, '../../dist/web');

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

function sizeReport(): Plugin {
  return {
    name: 'socnoc-size-report',
    apply: 'build',
    closeBundle() {
      let raw = 0;
      let gzip = 0;
      const lines: string[] = [];
      for (const file of listFiles(outDir)) {
        if (!/\.(js|css|html)$/.test(file)) continue;
        const bytes = readFileSync(file);
        const gz = gzipSync(bytes).length;
        raw += bytes.length;
        gzip += gz;
        lines.push(`${file.slice(outDir.length + 1)}\t${bytes.length}\t${gz}`);
      }
      const summary = `console bundle: ${(raw / 1024).toFixed(1)} KiB, ${(gzip / 1024).toFixed(1)} KiB gzipped (js+css+html)`;
      writeFileSync(join(outDir, 'size.txt'), `${summary}\nfile\tbytes\tgzip\n${lines.join('\n')}\n`);
      console.log(summary);
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    // `npm start` on :8080 answers the API; the dev server forwards to it.
    proxy: { '/api': 'http://127.0.0.1:8080', '/metrics': 'http://127.0.0.1:8080' },
  },
  plugins: [sizeReport()],
});
