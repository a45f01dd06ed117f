/**
 * `twinview start` (what `npm start` runs): generates the embedded sample drive when samples/data/drive-2023.las
 * is missing, tiles both epochs into COPC when their .copc.laz is missing or older than the LAS, then serves the
 * viewer with samples/data at `/data/` and prints the URL that opens both epochs.
 *
 * @example
 * npm start              # http://127.0.0.1:5173/?url=/data/drive-2023.copc.laz&url=/data/drive-2025.copc.laz
 * PORT=8080 npm start
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SAMPLE_SEED, writeSampleFiles } from '../../samples/write-sample.ts';
import { CliError } from '../cli-error.ts';
import { tile } from '../tile/tile.ts';
import { cliPort, REPO_ROOT, SERVER_CLI_OPTIONS, serveUntilSignal } from '../server/serve-viewer.ts';

/** Folder of the generated sample, served at `/data/`. */
export const SAMPLE_DIR = join(REPO_ROOT, 'samples', 'data');

/** File name of the sample drive inside {@link SAMPLE_DIR}. */
export const SAMPLE_FILE = 'drive-2023.las';

/** The sample's epochs, each tiled from `<name>.las` into `<name>.copc.laz`; the viewer opens them in this order. */
export const SAMPLE_EPOCHS = ['drive-2023', 'drive-2025'] as const;

const USAGE = `usage: twinview start [--port N] [--host H] [--sample-dir DIR] [--skip-build] [--verbose]

Generates the sample drive when samples/data/${SAMPLE_FILE} is missing, tiles both epochs into COPC when
their .copc.laz is missing or older than the LAS, then serves the viewer on them.

  --port N          TCP port (default: $PORT, else 5173)
  --sample-dir DIR  where the sample lives (default samples/data); it is generated there when missing
  --host H          interface to bind (default 127.0.0.1: this machine only; 0.0.0.0 opens it to the network)
  --skip-build      serve dist/ as it is instead of rebuilding it when older than the sources
  --verbose         log every request`;

/** Generates the sample drive (seed {@link DEFAULT_SAMPLE_SEED}) into `dir`. */
async function generateSample(dir: string, log: (line: string) => void): Promise<void> {
  log(`generating the sample drive (seed ${DEFAULT_SAMPLE_SEED}) into ${dir} …`);
  const started = Date.now();
  const written = await writeSampleFiles(dir, DEFAULT_SAMPLE_SEED);
  if (!existsSync(join(dir, SAMPLE_FILE))) {
    throw new CliError(`Invalid sample: the generator wrote no ${join(dir, SAMPLE_FILE)}`);
  }
  const counts = Object.entries(written.pointCounts).map(([name, count]) => `${name}: ${count} points`);
  log(`sample written in ${((Date.now() - started) / 1000).toFixed(1)} s (${counts.join(', ')})`);
}

/** Tiles every epoch whose COPC is missing or older than its LAS; returns the COPC file names in epoch order. */
async function tileSample(dir: string, log: (line: string) => void): Promise<string[]> {
  const names: string[] = [];
  for (const epoch of SAMPLE_EPOCHS) {
    const las = join(dir, `${epoch}.las`);
    const copc = join(dir, `${epoch}.copc.laz`);
    if (!existsSync(las)) continue;
    if (!existsSync(copc) || statSync(copc).mtimeMs < statSync(las).mtimeMs) {
      log(`tiling ${las} into ${copc} …`);
      const summary = await tile({ inputs: [las], output: copc, quiet: true });
      log(`tiled ${summary.pointCount} points`);
    }
    names.push(`${epoch}.copc.laz`);
  }
  return names;
}

/** Runs `twinview start`; resolves with the exit code after SIGINT/SIGTERM. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...SERVER_CLI_OPTIONS, 'sample-dir': { type: 'string', default: SAMPLE_DIR } }, strict: true });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = cliPort(values);
  const log = (line: string): void => console.log(line);
  const sampleDir = resolve(values['sample-dir']);
  if (!existsSync(join(sampleDir, SAMPLE_FILE))) await generateSample(sampleDir, log);
  const copcFiles = await tileSample(sampleDir, log);
  const query = copcFiles.map((name) => `url=/data/${name}`).join('&');
  await serveUntilSignal(values, port, sampleDir, (url) => [`twinview viewer: ${url}?${query}`]);
  return 0;
}
