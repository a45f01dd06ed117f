import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared-data.ts';

const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** Compiles core/ with its own compiler options plus the given fixture files; returns tsc's exit code and output. */
function compileCore(extraFiles: string[]): { code: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'twinview-purity-'));
  try {
    const config = {
      extends: join(REPO_ROOT, 'core', 'tsconfig.json'),
      // The real composite settings, emitting declarations into the temp folder instead of .tsbuild/; nothing is
      // emitted on error (tsc would otherwise write a .d.ts beside a file outside rootDir).
      compilerOptions: { outDir: join(dir, 'out'), tsBuildInfoFile: join(dir, 'out', 'core.tsbuildinfo'), noEmitOnError: true },
      include: [join(REPO_ROOT, 'core', '**', '*.ts')],
      exclude: [join(REPO_ROOT, 'core', '_purity-fixture')],
      files: extraFiles,
    };
    const path = join(dir, 'tsconfig.json');
    writeFileSync(path, JSON.stringify(config));
    try {
      const output = execFileSync(process.execPath, [TSC, '-p', path], { encoding: 'utf8' });
      return { code: 0, output };
    } catch (error) {
      const e = error as { status: number; stdout: string };
      return { code: e.status, output: e.stdout };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('core purity', () => {
  it('core/ compiles on its own with lib ES2022 and no ambient types', () => {
    const result = compileCore([]);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  const fixture = (name: string): string => join(REPO_ROOT, 'core', '_purity-fixture', name);

  it('a core file that imports node:fs fails that compile', () => {
    const result = compileCore([fixture('imports-node.ts')]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/imports-node\.ts.*Cannot find module 'node:fs'/);
  });

  it('a core file that touches the DOM fails that compile', () => {
    const result = compileCore([fixture('uses-dom.ts')]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/uses-dom\.ts.*Cannot find name 'document'/);
  });

  it('a core file that imports tiling/ breaks the dependency rule and fails that compile', () => {
    const result = compileCore([fixture('imports-tiling.ts')]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/tiling\/cli-error\.ts' is not (under 'rootDir'|listed within the file list)/);
  });
});
