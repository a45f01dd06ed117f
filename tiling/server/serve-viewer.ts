/**
 * Serving the viewer: builds dist/ when stale, then starts the range server on the given port and data folder.
 * Shared by `twinview serve`, `twinview start` and the end-to-end tests.
 */
import type { Server } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../cli-error.ts';
import { ensureViewerBuilt } from './build-viewer.ts';
import { createStaticServer, listen } from './static-server.ts';

/** Repository root (holds index.html, vite.config.ts and dist/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Default TCP port when neither `--port` nor the `PORT` environment variable is given. */
export const DEFAULT_PORT = 5173;

/** Default interface: this machine only, since the data served is internal. */
export const DEFAULT_HOST = '127.0.0.1';

/** Options for {@link serveViewer}. */
export interface ServeViewerOptions {
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Interface to bind. */
  readonly host: string;
  /** Folder served at `/data/`. */
  readonly dataDir?: string;
  /** Honour `Range` requests (default true); see StaticServerOptions.ranges. */
  readonly ranges?: boolean;
  /** Skip the stale check and serve dist/ as it is. */
  readonly skipBuild?: boolean;
  /** Progress lines (build, requests). */
  readonly log?: (line: string) => void;
  /** Log every request. */
  readonly logRequests?: boolean;
}

/** A running viewer server. */
export interface RunningViewer {
  /** Base URL ending in `/`, e.g. `http://127.0.0.1:5173/`. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Stops listening and drops open keep-alive connections. */
  close(): Promise<void>;
}

/** Builds the viewer when needed and serves it; resolves once the server listens. */
export async function serveViewer(options: ServeViewerOptions): Promise<RunningViewer> {
  const appDir = options.skipBuild
    ? resolve(REPO_ROOT, 'dist')
    : (await ensureViewerBuilt(REPO_ROOT, { log: options.log })).outDir;
  const log = options.log;
  const server = createStaticServer({
    appDir,
    dataDir: options.dataDir ? resolve(options.dataDir) : undefined,
    ranges: options.ranges,
    onRequest: options.logRequests && log ? (r) => log(`${r.status} ${r.method} ${r.path}`) : undefined,
  });
  const { url, port } = await listen(server, { port: options.port, host: options.host });
  const close = (): Promise<void> =>
    new Promise((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  return { url, port, server, close };
}

/** Reads a port from `--port`, else `PORT`, else {@link DEFAULT_PORT}; throws `Invalid port: …`. */
export function choosePort(flag: string | undefined, env: string | undefined = process.env.PORT): number {
  const text = flag ?? (env !== undefined && env !== '' ? env : undefined);
  if (text === undefined) return DEFAULT_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port: ${text}`);
  return port;
}

/** Resolves when the process receives SIGINT or SIGTERM. */
export function untilSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The options `twinview serve` and `twinview start` share (node:util parseArgs form). */
export const SERVER_CLI_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string', default: DEFAULT_HOST },
  'skip-build': { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The values of {@link SERVER_CLI_OPTIONS}. */
export interface ServerCliValues {
  readonly port?: string | undefined;
  readonly host: string;
  readonly 'skip-build': boolean;
  readonly verbose: boolean;
}

/** {@link choosePort} for a command: `Invalid port: …` as a CLI error (exit 2). */
export function cliPort(values: ServerCliValues): number {
  try {
    return choosePort(values.port);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

/**
 * Serves the viewer as the command line asked (port checked beforehand with {@link cliPort}), prints the lines
 * `announce` makes of its URL and the Ctrl-C hint, and stops the server on SIGINT/SIGTERM.
 */
export async function serveUntilSignal(
  values: ServerCliValues,
  port: number,
  dataDir: string | undefined,
  announce: (url: string) => string[],
): Promise<void> {
  const log = (line: string): void => console.log(line);
  const viewer = await serveViewer({ port, host: values.host, dataDir, skipBuild: values['skip-build'], log, logRequests: values.verbose });
  for (const line of announce(viewer.url)) log(line);
  log('Ctrl-C stops the server.');
  await untilSignal();
  await viewer.close();
}
