/**
 * `twinview tile <inputs...> -o <out.copc.laz> [--srs EPSG:25832] [--vertical EPSG:7837] [--threads N]
 * [--memory-mb M] [--temp-dir DIR] [--quiet]`: merges LAS/LAZ 1.0-1.4 files (formats 0-10) into one COPC file.
 * Points beyond the memory budget (default 1024 MB) go through spill files in the temp folder.
 */
import { parseArgs } from 'node:util';
import { CliError } from '../cli-error.ts';
import { tile } from '../tile/tile.ts';

const USAGE =
  'usage: twinview tile <inputs...> -o <out.copc.laz> [--srs EPSG:25832|EPSG:25833|WKT] [--vertical EPSG:7837] [--threads N] [--memory-mb M] [--temp-dir DIR] [--quiet]';

/** Runs the command; returns the exit code (errors are thrown and printed by the CLI with exit code 2). */
export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        srs: { type: 'string' },
        vertical: { type: 'string' },
        threads: { type: 'string' },
        'memory-mb': { type: 'string' },
        'temp-dir': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new CliError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new CliError(`Invalid inputs: none given\n${USAGE}`);
  if (!values.output) throw new CliError(`Invalid output: missing -o <out.copc.laz>\n${USAGE}`);
  let threads: number | undefined;
  if (values.threads !== undefined) {
    threads = Number(values.threads);
    if (!Number.isInteger(threads) || threads < 0) throw new CliError(`Invalid --threads: ${values.threads}`);
  }
  let memoryBudgetBytes: number | undefined;
  if (values['memory-mb'] !== undefined) {
    const mb = Number(values['memory-mb']);
    if (!(mb > 0)) throw new CliError(`Invalid --memory-mb: ${values['memory-mb']}`);
    memoryBudgetBytes = mb * 1024 * 1024;
  }
  const quiet = values.quiet ?? false;
  const summary = await tile({
    inputs: positionals,
    output: values.output,
    ...(values.srs !== undefined ? { srs: values.srs } : {}),
    ...(values.vertical !== undefined ? { vertical: values.vertical } : {}),
    ...(threads !== undefined ? { threads } : {}),
    ...(memoryBudgetBytes !== undefined ? { memoryBudgetBytes } : {}),
    ...(values['temp-dir'] !== undefined ? { tempDir: values['temp-dir'] } : {}),
    quiet,
  });
  if (!quiet) {
    const mb = (summary.fileSize / 1e6).toFixed(1);
    console.log(
      `${summary.output}: ${summary.pointCount.toLocaleString('en')} points (PDRF ${summary.pointFormat}), ` +
        `${summary.nodeCount} nodes to depth ${summary.maxDepth}, ${mb} MB, ${summary.seconds.toFixed(1)} s ` +
        `(${(summary.pointsPerSecond / 1e6).toFixed(2)} M points/s)` +
        (summary.warnings.length ? `, ${summary.warnings.length} warning(s)` : ''),
    );
  }
  return 0;
}
