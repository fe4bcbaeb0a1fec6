/**
 * Starts a worker thread from a module beside the caller: the compiled `.js` in production, or,
 * under ts-jest where nothing is compiled, the `.ts` source through a bootstrap that transpiles each
 * file the worker requires (typescript is a dev dependency; production never takes this path).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const TS_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const ts = require('typescript');
require.extensions['.ts'] = (module, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(out.outputText, filename);
};
require(workerData.entry);
`;

/** `dir`: the caller's `__dirname`; `name`: the worker module without extension; `data`: its workerData. */
export function startModuleWorker(dir: string, name: string, data: Record<string, unknown>): Worker {
  const compiled = join(dir, `${name}.js`);
  if (existsSync(compiled)) return new Worker(compiled, { workerData: data });
  return new Worker(TS_BOOTSTRAP, { eval: true, workerData: { ...data, entry: join(dir, `${name}.ts`) } });
}
