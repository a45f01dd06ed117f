/**
 * Runs the `twinview` CLI (bin/twinview.mjs) in a child process, as a user would, for the CLI tests: the exit
 * code and both output streams, never a throw for a non-zero exit.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './shared-data.ts';

const execFileAsync = promisify(execFile);

/** What one CLI run gave. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `twinview <args…>` from the repository root (64 MB of output at most). */
export async function twinview(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [join(REPO_ROOT, 'bin', 'twinview.mjs'), ...args], {
      cwd: REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
