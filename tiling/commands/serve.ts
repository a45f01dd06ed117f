/**
 * `twinview serve [--port N] [--host H] [--data DIR] [--skip-build] [--verbose]`: serves the viewer at `/` and a
 * data folder at `/data/` with HTTP range support until Ctrl-C.
 *
 * @example
 * PORT=8080 npx twinview serve --data samples/data
 * # open http://127.0.0.1:8080/?url=/data/drive-2023.las
 */
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliError } from '../cli-error.ts';
import { cliPort, SERVER_CLI_OPTIONS, serveUntilSignal } from '../server/serve-viewer.ts';

const USAGE = `usage: twinview serve [--port N] [--host H] [--data DIR] [--skip-build] [--verbose]

  --port N       TCP port (default: $PORT, else 5173)
  --host H       interface to bind (default 127.0.0.1: this machine only; 0.0.0.0 opens it to the network)
  --data DIR     folder served at /data/ with range requests (open /?url=/data/<file>)
  --skip-build   serve dist/ as it is instead of rebuilding it when older than the sources
  --verbose      log every request`;

/** Runs `twinview serve`; resolves with the exit code after SIGINT/SIGTERM. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...SERVER_CLI_OPTIONS, data: { type: 'string' } }, strict: true });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.data !== undefined && !(existsSync(values.data) && statSync(values.data).isDirectory())) {
    throw new CliError(`Invalid data folder: ${values.data} is not a directory`);
  }
  const data = values.data;
  await serveUntilSignal(values, cliPort(values), data, (url) => [
    `twinview viewer: ${url}`,
    ...(data !== undefined ? [`data folder ${data} at ${url}data/  (open ${url}?url=/data/<file>)`] : []),
  ]);
  return 0;
}
