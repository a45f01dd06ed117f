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
import { choosePort, DEFAULT_HOST, serveViewer, untilSignal } from '../server/serve-viewer.ts';

const USAGE = `usage: twinview serve [--port N] [--host H] [--data DIR] [--skip-build] [--verbose]

  --port N       TCP port (default: $PORT, else 5173)
  --host H       interface to bind (default 127.0.0.1: this machine only; 0.0.0.0 opens it to the network)
  --data DIR     folder served at /data/ with range requests (open /?url=/data/<file>)
  --skip-build   serve dist/ as it is instead of rebuilding it when older than the sources
  --verbose      log every request`;

/** Runs `twinview serve`; resolves with the exit code after SIGINT/SIGTERM. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: DEFAULT_HOST },
      data: { type: 'string' },
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
  if (values.data !== undefined && !(existsSync(values.data) && statSync(values.data).isDirectory())) {
    throw new CliError(`Invalid data folder: ${values.data} is not a directory`);
  }
  let port: number;
  try {
    port = choosePort(values.port);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const viewer = await serveViewer({
    port,
    host: values.host,
    dataDir: values.data,
    skipBuild: values['skip-build'],
    log: (line) => console.log(line),
    logRequests: values.verbose,
  });
  console.log(`twinview viewer: ${viewer.url}`);
  if (values.data !== undefined) console.log(`data folder ${values.data} at ${viewer.url}data/  (open ${viewer.url}?url=/data/<file>)`);
  console.log('Ctrl-C stops the server.');
  await untilSignal();
  await viewer.close();
  return 0;
}
