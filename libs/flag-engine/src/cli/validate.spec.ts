import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const CLI = join(ROOT, 'libs/flag-engine/src/cli/validate.ts');

function validate(...files: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(TSX, [CLI, ...files], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run validate (spawned)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'flag-validate-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('reports a file over DOCUMENT_MAX_BYTES without reading it, and exits 1', () => {
    const big = write('big.json', {
      flags: { a: { state: 'ENABLED', variants: { on: 'x'.repeat(5_000) } } },
    });
    const run = spawnSync(TSX, [CLI, big], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, DOCUMENT_MAX_BYTES: '4096' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('more than the limit of 4096 [FLAGFLEET_DOCUMENT_TOO_LARGE]');
  });

  it('exits 0 and says ok for the shipped examples', () => {
    const run = validate(join(ROOT, 'flags/flags.json'));
    expect(run).toEqual({
      status: 0,
      stdout: `${join(ROOT, 'flags/flags.json')}: ok (9 flags)\n`,
      stderr: '',
    });
  });

  it('prints each problem with file, flag and path, treats non-compiling targeting as an error, and exits 1', () => {
    const good = write('good.json', {
      flags: { a: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on' } },
    });
    const broken = write('broken.json', {
      flags: {
        a: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'off' },
        b: { state: 'MAYBE', variants: { on: true } },
      },
    });
    const uncompilable = write('uncompilable.json', {
      flags: { c: { state: 'ENABLED', variants: { on: true }, targeting: { nope: [] } } },
    });
    const notJson = write('not-json.json', '{ flags');
    const run = validate(good, broken, uncompilable, notJson);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(`${good}: ok (1 flag)\n`);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toEqual([
      `${broken}: error flag "a" at /flags/a/defaultVariant: defaultVariant "off" is not one of the variants [FLAGFLEET_FLAG_UNKNOWN_DEFAULT_VARIANT]`,
      `${broken}: error flag "b" at /flags/b/state: state must be "ENABLED" or "DISABLED", got "MAYBE" [FLAGFLEET_FLAG_UNKNOWN_STATE]`,
      `${broken}: invalid`,
      expect.stringMatching(
        new RegExp(
          `^${uncompilable}: error flag "c" at /flags/c/targeting: targeting does not compile: .*nope.* \\[FLAGFLEET_TARGETING_NOT_COMPILABLE\\]$`,
        ),
      ),
      `${uncompilable}: invalid`,
      expect.stringMatching(
        new RegExp(`^${notJson}: error at /: content is not JSON: .* \\[FLAGFLEET_DOCUMENT_NOT_JSON\\]$`),
      ),
      `${notJson}: invalid`,
    ]);
  });

  it('warns about a rule result that is not a variant, and still exits 0', () => {
    const typo = write('typo.json', {
      flags: {
        t: {
          state: 'ENABLED',
          variants: { on: true, off: false },
          defaultVariant: 'off',
          targeting: { if: [{ '==': [{ var: 'plan' }, 'pro'] }, 'onn', 'off'] },
        },
      },
    });
    const run = validate(typo);
    expect(run).toEqual({
      status: 0,
      stdout:
        `${typo}: warning flag "t" at /flags/t/targeting/if/1: rule result "onn" is not one of the variants (on, off); evaluations that reach it answer GENERAL [FLAGFLEET_TARGETING_UNKNOWN_VARIANT]\n` +
        `${typo}: ok (1 flag)\n`,
      stderr: '',
    });
  });

  it('validates AppConfig authoring documents and Ion files, naming flag, variant and position', () => {
    const authoring = join(ROOT, 'flags/features.json');
    const ion = write(
      'profile.ion',
      `'f'::[[(eq $a "b"), '''{"_variant":"v","enabled":true}'''], '''{"_variant":"d","enabled":false}''']`,
    );
    expect(validate(authoring, ion)).toEqual({
      status: 0,
      stdout: `${authoring}: ok (2 flags)\n${ion}: ok (1 flag)\n`,
      stderr: '',
    });
    const broken = write('broken-appconfig.json', {
      version: '1',
      flags: { a: { name: 'A' } },
      values: {
        a: {
          _variants: [
            { name: 'x', enabled: true, rule: '(eq $a' },
            { name: 'd', enabled: false },
          ],
        },
      },
    });
    const run = validate(broken);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `${broken}: error flag "a" at /values/a/_variants/0/rule: variant "x": the rule does not parse at character 7`,
    );
  });

  it('exits 1 for an unreadable file and 2 without arguments', () => {
    const missing = validate(join(dir, 'missing.json'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('missing.json: error cannot read the file');
    expect(validate().status).toBe(2);
  });
});
