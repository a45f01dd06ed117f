/**
 * `twinview start` (what `npm start` runs): generates the embedded sample drive when samples/data/drive-2023.las
 * is missing, then serves the viewer with samples/data at `/data/` and prints the URL that opens the sample.
 *
 * @example
 * npm start              # http://127.0.0.1:5173/?url=/data/drive-2023.las
 * PORT=8080 npm start
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError } from '../cli-error.ts';
import { choosePort, DEFAULT_HOST, REPO_ROOT, serveViewer, untilSignal } from '../server/serve-viewer.ts';

/** Folder of the generated sample, served at `/data/`. */
export const SAMPLE_DIR = join(REPO_ROOT, 'samples', 'data');

/** File name of the sample drive inside {@link SAMPLE_DIR}. */
export const SAMPLE_FILE = 'drive-2023.las';

/** Seed of the embedded sample, so that every machine generates the same drive. */
export const SAMPLE_SEED = 1;

const USAGE = `usage: twinview start [--port N] [--host H] [--skip-build] [--verbose]

Generates the sample drive when samples/data/${SAMPLE_FILE} is missing, then serves the viewer on it.

  --port N       TCP port (default: $PORT, else 5173)
  --host H       interface to bind (default 127.0.0.1: this machine only; 0.0.0.0 opens it to the network)
  --skip-build   serve dist/ as it is instead of rebuilding it when older than the sources
  --verbose      log every request`;

/** Generates the sample into {@link SAMPLE_DIR} with the sample generator of samples/write-sample.ts. */
async function generateSample(log: (line: string) => void): Promise<void> {
  const modulePath = join(REPO_ROOT, 'samples', 'write-sample.ts');
  if (!existsSync(modulePath)) {
    throw new CliError(
      `Invalid sample: ${join(SAMPLE_DIR, SAMPLE_FILE)} is missing and the generator ${modulePath} does not exist yet`,
    );
  }
  log(`generating the sample drive into ${SAMPLE_DIR} …`);
  // Note: imported by path at run time so that this command compiles before the generator lands.
  const generator = (await import(modulePath)) as {
    writeSampleFiles?: (outDir: string, seed: number) => unknown;
  };
  if (typeof generator.writeSampleFiles !== 'function') {
    throw new CliError(`Invalid sample generator: ${modulePath} exports no writeSampleFiles(outDir, seed)`);
  }
  await generator.writeSampleFiles(SAMPLE_DIR, SAMPLE_SEED);
  if (!existsSync(join(SAMPLE_DIR, SAMPLE_FILE))) {
    throw new CliError(`Invalid sample: the generator wrote no ${join(SAMPLE_DIR, SAMPLE_FILE)}`);
  }
}

/** Runs `twinview start`; resolves with the exit code after SIGINT/SIGTERM. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: DEFAULT_HOST },
      'skip-build': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let port: number;
  try {
    port = choosePort(values.port);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const log = (line: string): void => console.log(line);
  if (!existsSync(join(SAMPLE_DIR, SAMPLE_FILE))) await generateSample(log);
  const viewer = await serveViewer({
    port,
    host: values.host,
    dataDir: SAMPLE_DIR,
    skipBuild: values['skip-build'],
    log,
    logRequests: values.verbose,
  });
  console.log(`twinview viewer: ${viewer.url}?url=/data/${SAMPLE_FILE}`);
  console.log('Ctrl-C stops the server.');
  await untilSignal();
  await viewer.close();
  return 0;
}
