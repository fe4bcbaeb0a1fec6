/** `rules validate` over valid and invalid rule folders: per-file lines, totals, exit codes. */
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runRulesValidate } from './rules-validate';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await runRulesValidate(args, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const corr = join(__dirname, '..', 'correlate', 'testdata');
const spec = join(__dirname, '..', 'testdata', 'spec');
const invalid = join(spec, 'invalid');

describe('rules validate', () => {
  it('lists each file as loaded with what it holds, and exits 0 when everything loads', async () => {
    const r = await run([corr]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`loaded    ${join(corr, 'base_auth.yml')}  (2 rules)\n`);
    expect(r.stdout).toContain(`loaded    ${join(corr, 'mr_alias_temporal.yml')}  (2 rules, 1 correlation)\n`);
    expect(r.stdout).toContain(`loaded    ${join(corr, 'mr_bruteforce_then_success.yml')}  (2 correlations)\n`);
    expect(r.stdout).toMatch(/correlation rules: +16\n/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('result: all 10 files loaded');
  });

  it('names each rejected document with file, line, kind and reason, and exits 1', async () => {
    const r = await run([spec]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`rejected  ${join(invalid, 'bad_modifier.yml')}:9: [modifier] unknown modifier 'containz' (Bad modifier)\n`);
    expect(r.stdout).toContain(`rejected  ${join(invalid, 'bad_yaml.yml')}:7: [yaml]`);
    // A file with one good and one bad document is listed both ways.
    expect(r.stdout).toContain(`loaded    ${join(invalid, 'two_documents.yml')}  (1 rule)\n`);
    expect(r.stdout).toContain(`rejected  ${join(invalid, 'two_documents.yml')}:17: [condition]`);
    expect(r.stdout).toMatch(/rejected documents: +7\n/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('result: 7 documents rejected in 7 files');
  });

  it('--quiet lists only rejections and totals', async () => {
    const r = await run(['--quiet', spec]);
    expect(r.stdout).not.toContain('loaded    ');
    expect(r.stdout).not.toContain('warning   ');
    expect(r.stdout.match(/^rejected {2}/gm)).toHaveLength(7);
  });

  it('reports a missing path as rejected (io) and bad usage with exit 2', async () => {
    const missing = await run([join(spec, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(`rejected  ${join(spec, 'nope')}:0: [io] cannot read:`);
    expect((await run([])).code).toBe(2);
    expect((await run(['--bogus', spec])).code).toBe(2);
    const badMappings = await run(['--mappings', join(spec, 'nope'), spec]);
    expect(badMappings.code).toBe(2);
    expect(badMappings.stderr).toContain('cannot read field mapping folder');
  });
});
