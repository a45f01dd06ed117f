/**
 * The viewer's HTTP server: a plain node:http server for the built viewer at `/` and a data folder at `/data/`,
 * with byte-range support (206, 416, HEAD, ETag, Last-Modified, If-Range) so that LAS/LAZ/COPC files are read in
 * pieces exactly as from a production web server.
 *
 * @example
 * const server = createStaticServer({ appDir: 'dist', dataDir: 'samples/data' });
 * const { url } = await listen(server, { port: 5173, host: '127.0.0.1' });
 */
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { decideRange } from './byte-range.ts';

/** Options for {@link createStaticServer}. */
export interface StaticServerOptions {
  /** Folder served at `/` (the built viewer, `dist/`); `/` answers its index.html. */
  readonly appDir: string;
  /** Folder served at `/data/`; without it every `/data/…` request answers 404. */
  readonly dataDir?: string;
  /**
   * Honour `Range` requests (default true). False answers every request whole with `Accept-Ranges: none`, like a
   * plain web server without range support; the e2e tests use it to check the viewer's message for such servers.
   */
  readonly ranges?: boolean;
  /** Called once per answered request, e.g. for a log line. */
  readonly onRequest?: (info: { method: string; path: string; status: number }) => void;
}

/**
 * The Content-Security-Policy sent with every response: everything from this origin only, WebAssembly compilation
 * allowed (laz-perf) and no `eval`, no inline scripts, no third-party origin.
 *
 * Note: `connect-src 'self'` means the viewer can open `?url=` files from this server only. Opening COPC files from
 * another origin needs that origin added to connect-src (and CORS with `Range` allowed and `Content-Range`
 * exposed on that server); that is a later concern of the viewer issue.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.las': 'application/vnd.las',
  '.laz': 'application/vnd.laszip',
};

/** Strong ETag from size and modification time: changes whenever the file is rewritten. */
function entityTag(info: Stats): string {
  return `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
}

/**
 * Maps a request path onto a file below `root`, or returns 'forbidden' for any path that tries to leave it.
 * Segments are checked both raw and percent-decoded, so `..`, `%2e%2e`, `%2f` and `\` tricks are all refused;
 * dot-files (`.git`, `.env`) are refused too.
 * Note: symbolic links inside the folder are followed: whoever runs the server put them there (e.g. a data folder
 * linking to a drive archive), and a request can only name paths below the folder.
 */
function resolveInside(root: string, segments: readonly string[]): string | 'forbidden' {
  const decoded: string[] = [];
  for (const raw of segments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return 'forbidden';
    }
    if (segment.startsWith('.') || /[/\\\0]/.test(segment)) return 'forbidden';
    decoded.push(segment);
  }
  const base = resolve(root);
  const path = resolve(join(base, ...decoded));
  if (path !== base && !path.startsWith(base + sep)) return 'forbidden';
  return path;
}

function sendText(res: ServerResponse, status: number, text: string, head: boolean): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(head ? undefined : text);
}

/** Creates the server (not yet listening); see {@link listen}. */
export function createStaticServer(options: StaticServerOptions): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');

    const method = req.method ?? 'GET';
    const head = method === 'HEAD';
    if (method !== 'GET' && !head) {
      res.setHeader('Allow', 'GET, HEAD');
      sendText(res, 405, `Method not allowed: ${method}`, false);
      return;
    }
    const rawPath = (req.url ?? '/').split(/[?#]/, 1)[0]!;
    if (!rawPath.startsWith('/')) {
      sendText(res, 400, `Invalid request path: ${rawPath}`, head);
      return;
    }
    const segments = rawPath.split('/').filter((s) => s.length > 0);
    let path: string | 'forbidden';
    if (segments[0] === 'data') {
      if (!options.dataDir) {
        sendText(res, 404, `Not found: ${rawPath} (no data folder is served)`, head);
        return;
      }
      path = resolveInside(options.dataDir, segments.slice(1));
    } else {
      path = resolveInside(options.appDir, segments.length === 0 ? ['index.html'] : segments);
    }
    if (path === 'forbidden') {
      sendText(res, 403, `Forbidden: ${rawPath}`, head);
      return;
    }

    let info: Stats;
    try {
      info = await stat(path);
    } catch {
      sendText(res, 404, `Not found: ${rawPath}`, head);
      return;
    }
    if (!info.isFile()) {
      sendText(res, 404, `Not found: ${rawPath}`, head);
      return;
    }

    const etag = entityTag(info);
    const lastModified = new Date(Math.floor(info.mtimeMs / 1000) * 1000).toUTCString();
    res.setHeader('ETag', etag);
    res.setHeader('Last-Modified', lastModified);
    const ranges = options.ranges ?? true;
    res.setHeader('Accept-Ranges', ranges ? 'bytes' : 'none');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Type', CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream');

    // RFC 9110 §13.1.2: If-None-Match wins over If-Modified-Since.
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = req.headers['if-modified-since'];
    const notModified =
      ifNoneMatch !== undefined
        ? ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === etag)
        : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= Date.parse(lastModified);
    if (notModified) {
      res.writeHead(304);
      res.end();
      return;
    }

    // RFC 9110 §13.1.5: a Range with a stale If-Range validator is answered with the whole, current file.
    const ifRange = req.headers['if-range'];
    const rangeHeader =
      ranges && (ifRange === undefined || ifRange === etag || ifRange === lastModified) ? req.headers.range : undefined;
    const decision = decideRange(rangeHeader, info.size);
    if (decision.kind === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${info.size}`);
      sendText(res, 416, `Range not satisfiable: ${req.headers.range} for ${info.size} bytes`, head);
      return;
    }
    let start = 0;
    let end = info.size - 1;
    if (decision.kind === 'partial') {
      ({ start, end } = decision.range);
      res.statusCode = 206;
      res.setHeader('Content-Range', `bytes ${start}-${end}/${info.size}`);
    } else {
      res.statusCode = 200;
    }
    res.setHeader('Content-Length', Math.max(0, end - start + 1));
    if (head || info.size === 0) {
      res.end();
      return;
    }
    const stream = createReadStream(path, { start, end });
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };

  return createServer((req, res) => {
    res.on('finish', () =>
      options.onRequest?.({ method: req.method ?? 'GET', path: req.url ?? '/', status: res.statusCode }),
    );
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendText(res, 500, `Internal error: ${String(error)}`, false);
      else res.destroy();
    });
  });
}

/** Where a server listens. */
export interface ListenOptions {
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Interface to bind, e.g. `127.0.0.1` (this machine only) or `0.0.0.0` (every interface). */
  readonly host: string;
}

/** Starts listening and resolves with the base URL (`http://127.0.0.1:5173/`) and the port actually bound. */
export function listen(server: Server, options: ListenOptions): Promise<{ url: string; port: number }> {
  return new Promise((resolvePromise, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`Invalid port: ${options.port} is already in use (set PORT or --port to another one)`));
      } else reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      const { port } = server.address() as AddressInfo;
      const host = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolvePromise({ url: `http://${shown}:${port}/`, port });
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(options.port, options.host);
  });
}
