import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpGetter, type FetchLike } from '../../core/io/http-getter.ts';
import { decideRange } from '../../tiling/server/byte-range.ts';
import { choosePort } from '../../tiling/server/serve-viewer.ts';
import { CONTENT_SECURITY_POLICY, createStaticServer, listen } from '../../tiling/server/static-server.ts';
import { REPO_ROOT, sharedPath } from '../helpers/shared-data.ts';

const LAS_RELATIVE = 'PDAL/test/data/las/autzen_trim.las';

/** Node's fetch in the shape the core HTTP getter takes. */
const fetchLike: FetchLike = (url, init) => fetch(url, init as RequestInit);

/** Raw HTTP request that keeps the path exactly as written (fetch would normalise `..` away). */
function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('latin1') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('decideRange', () => {
  it('answers the RFC 9110 range forms', () => {
    expect(decideRange(undefined, 100)).toEqual({ kind: 'full' });
    expect(decideRange('bytes=0-9', 100)).toEqual({ kind: 'partial', range: { start: 0, end: 9 } });
    expect(decideRange('bytes=90-', 100)).toEqual({ kind: 'partial', range: { start: 90, end: 99 } });
    expect(decideRange('bytes=-10', 100)).toEqual({ kind: 'partial', range: { start: 90, end: 99 } });
    expect(decideRange('bytes=-500', 100)).toEqual({ kind: 'partial', range: { start: 0, end: 99 } });
    expect(decideRange('bytes=50-5000', 100)).toEqual({ kind: 'partial', range: { start: 50, end: 99 } });
    expect(decideRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(decideRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(decideRange('bytes=0-0', 0)).toEqual({ kind: 'unsatisfiable' });
    // Ignored (answered whole): other units, garbage, reversed ranges, several ranges.
    expect(decideRange('items=0-9', 100)).toEqual({ kind: 'full' });
    expect(decideRange('bytes=abc', 100)).toEqual({ kind: 'full' });
    expect(decideRange('bytes=9-0', 100)).toEqual({ kind: 'full' });
    expect(decideRange('bytes=0-1,5-6', 100)).toEqual({ kind: 'full' });
  });
});

describe('choosePort', () => {
  it('takes --port, else PORT, else 5173', () => {
    expect(choosePort('8081', '9000')).toBe(8081);
    expect(choosePort(undefined, '9000')).toBe(9000);
    expect(choosePort(undefined, undefined)).toBe(5173);
    expect(choosePort(undefined, '')).toBe(5173);
    expect(() => choosePort('http', undefined)).toThrow('Invalid port: http');
    expect(() => choosePort(undefined, '70000')).toThrow('Invalid port: 70000');
  });
});

describe('static range server', () => {
  let root: string;
  let server: Server;
  let base: string;
  let port: number;
  const payload = randomBytes(10_000);
  const lasBytes = readFileSync(sharedPath(LAS_RELATIVE));

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'twinview-serve-'));
    const app = join(root, 'app');
    const data = join(root, 'data');
    mkdirSync(join(app, 'assets'), { recursive: true });
    mkdirSync(join(data, 'sub'), { recursive: true });
    writeFileSync(join(app, 'index.html'), '<!doctype html><title>viewer</title>');
    writeFileSync(join(app, 'assets', 'laz-perf.wasm'), new Uint8Array([0, 97, 115, 109]));
    writeFileSync(join(data, 'sub', 'blob.bin'), payload);
    writeFileSync(join(data, 'empty.bin'), new Uint8Array(0));
    writeFileSync(join(data, '.secret'), 'dotfile-secret');
    writeFileSync(join(root, 'secret.txt'), 'outside-secret');
    mkdirSync(join(data, 'las'));
    writeFileSync(join(data, 'las', 'autzen_trim.las'), lasBytes);
    server = createStaticServer({ appDir: app, dataDir: data });
    ({ port } = await listen(server, { port: 0, host: '127.0.0.1' }));
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    rmSync(root, { recursive: true, force: true });
  });

  it('binds to the address asked for and reports the port', () => {
    const address = server.address() as AddressInfo;
    expect(address.address).toBe('127.0.0.1');
    expect(address.port).toBe(port);
    expect(port).toBeGreaterThan(0);
  });

  it('serves a whole file with validators, range support and the CSP', async () => {
    const res = await fetch(`${base}/data/sub/blob.bin`);
    expect(res.status).toBe(200);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-length')).toBe(String(payload.length));
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(Date.parse(res.headers.get('last-modified')!)).not.toBeNaN();
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(Buffer.from(await res.arrayBuffer()).equals(payload)).toBe(true);
  });

  it('answers byte ranges with 206 and the exact bytes', async () => {
    const cases: Array<[string, number, number]> = [
      ['bytes=0-0', 0, 0],
      ['bytes=100-1099', 100, 1099],
      ['bytes=9990-', 9990, 9999],
      ['bytes=-25', 9975, 9999],
      ['bytes=9000-20000', 9000, 9999],
    ];
    for (const [range, start, end] of cases) {
      const res = await fetch(`${base}/data/sub/blob.bin`, { headers: { Range: range } });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${payload.length}`);
      expect(res.headers.get('content-length'), range).toBe(String(end - start + 1));
      expect(Buffer.from(await res.arrayBuffer()).equals(payload.subarray(start, end + 1)), range).toBe(true);
    }
  });

  it('answers 416 with the size for ranges past the end', async () => {
    for (const range of ['bytes=10000-', 'bytes=20000-20010', 'bytes=-0']) {
      const res = await fetch(`${base}/data/sub/blob.bin`, { headers: { Range: range } });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range'), range).toBe(`bytes */${payload.length}`);
      await res.arrayBuffer();
    }
    const empty = await fetch(`${base}/data/empty.bin`, { headers: { Range: 'bytes=0-0' } });
    expect(empty.status).toBe(416);
    await empty.arrayBuffer();
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const res = await fetch(`${base}/data/sub/blob.bin`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(payload.length));
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    const ranged = await fetch(`${base}/data/sub/blob.bin`, { method: 'HEAD', headers: { Range: 'bytes=10-19' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 10-19/${payload.length}`);
    expect(ranged.headers.get('content-length')).toBe('10');
  });

  it('honours If-None-Match and a stale If-Range', async () => {
    const first = await fetch(`${base}/data/sub/blob.bin`, { method: 'HEAD' });
    const etag = first.headers.get('etag')!;
    const cached = await fetch(`${base}/data/sub/blob.bin`, { headers: { 'If-None-Match': etag } });
    expect(cached.status).toBe(304);
    const fresh = await fetch(`${base}/data/sub/blob.bin`, { headers: { Range: 'bytes=0-9', 'If-Range': etag } });
    expect(fresh.status).toBe(206);
    await fresh.arrayBuffer();
    const stale = await fetch(`${base}/data/sub/blob.bin`, { headers: { Range: 'bytes=0-9', 'If-Range': '"0-0"' } });
    expect(stale.status).toBe(200);
    expect((await stale.arrayBuffer()).byteLength).toBe(payload.length);
  });

  it('serves the app at / with index.html and wasm as application/wasm', async () => {
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('<title>viewer</title>');
    const wasm = await fetch(`${base}/assets/laz-perf.wasm`);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    await wasm.arrayBuffer();
  });

  it('answers 404 for missing files and folders, 405 for other methods', async () => {
    for (const path of ['/data/missing.las', '/data/sub', '/data/', '/nothing.js']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
    const post = await fetch(`${base}/data/sub/blob.bin`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    await post.arrayBuffer();
  });

  it('refuses every path that leaves the served folders, and dot-files', async () => {
    const attempts = [
      '/data/../secret.txt',
      '/data/sub/../../secret.txt',
      '/data/%2e%2e/secret.txt',
      '/data/%2E%2E%2Fsecret.txt',
      '/data/..%2fsecret.txt',
      '/data/..%5csecret.txt',
      '/data/sub%2f..%2f..%2fsecret.txt',
      '/../secret.txt',
      '/data/.secret',
      '/data/%2esecret',
      '/data/sub/blob.bin%00.txt',
    ];
    for (const path of attempts) {
      const res = await rawGet(port, path);
      expect(res.status, path).toBe(403);
      expect(res.body, path).not.toMatch(/outside-secret|dotfile-secret/);
    }
    const absolute = await rawGet(port, 'http://127.0.0.1/etc/passwd');
    expect(absolute.status).toBe(400);
  });

  it('feeds the core HTTP getter the same bytes as the file on disk', async () => {
    const getter = await createHttpGetter(`${base}/data/las/autzen_trim.las`, { fetch: fetchLike });
    expect(getter.size).toBe(lasBytes.length);
    const header = await getter.get(0, 375);
    expect(Buffer.from(header).equals(lasBytes.subarray(0, 375))).toBe(true);
    expect(new TextDecoder().decode(header.subarray(0, 4))).toBe('LASF');
    const tail = await getter.get(lasBytes.length - 1000, lasBytes.length);
    expect(Buffer.from(tail).equals(lasBytes.subarray(lasBytes.length - 1000))).toBe(true);
  });
});

describe('static server without range support', () => {
  it('answers ranges whole with Accept-Ranges: none, which the core getter refuses', async () => {
    const root = mkdtempSync(join(tmpdir(), 'twinview-noranges-'));
    writeFileSync(join(root, 'blob.bin'), randomBytes(1000));
    const server = createStaticServer({ appDir: root, dataDir: root, ranges: false });
    const { port } = await listen(server, { port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/data/blob.bin`, { headers: { Range: 'bytes=0-9' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('accept-ranges')).toBe('none');
      expect((await res.arrayBuffer()).byteLength).toBe(1000);
      await expect(createHttpGetter(`http://127.0.0.1:${port}/data/blob.bin`, { fetch: fetchLike })).rejects.toThrow(
        /does not answer range requests \(HTTP 200 instead of 206\)/,
      );
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const probe = createServer();
  const { port } = await listen(probe, { port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Runs the twinview CLI as a child process; resolves the URL it prints and a function that stops it. */
function startCli(args: string[], env: Record<string, string>): Promise<{ url: string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'twinview.mjs'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /twinview viewer: (http:\/\/\S+)/.exec(out);
      if (match) {
        resolve({
          url: match[1]!,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`twinview exited with ${code} before printing a URL: ${out}${err}`)));
  });
}

describe('twinview serve (child process)', () => {
  it('prints its URL, honours PORT, serves /data/ with ranges on 127.0.0.1 and stops on SIGTERM with 0', async () => {
    const port = await freePort();
    const dataDir = dirname(sharedPath(LAS_RELATIVE));
    const cli = await startCli(['serve', '--data', dataDir, '--skip-build'], { PORT: String(port) });
    try {
      expect(cli.url).toBe(`http://127.0.0.1:${port}/`);
      const res = await fetch(`${cli.url}data/autzen_trim.las`, { headers: { Range: 'bytes=0-3' } });
      expect(res.status).toBe(206);
      expect(new TextDecoder().decode(await res.arrayBuffer())).toBe('LASF');
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it('start keeps an existing sample, tiles it into COPC and prints the URL that opens the COPC', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinview-start-'));
    const bytes = readFileSync(sharedPath('PDAL/test/data/las/100-points.las'));
    writeFileSync(join(dir, 'drive-2023.las'), bytes);
    const port = await freePort();
    const cli = await startCli(['start', '--sample-dir', dir, '--skip-build'], { PORT: String(port) });
    try {
      expect(cli.url).toBe(`http://127.0.0.1:${port}/?url=/data/drive-2023.copc.laz`);
      const las = await fetch(new URL('/data/drive-2023.las', cli.url));
      expect(Buffer.from(await las.arrayBuffer()).equals(bytes)).toBe(true);
      // LAS 1.4 R15 §2.4 / COPC 1.0: the COPC info VLR is the first VLR, its user id "copc" right after the
      // 375-byte header and the 2-byte reserved field.
      const copc = await fetch(new URL('/data/drive-2023.copc.laz', cli.url), { headers: { Range: 'bytes=0-400' } });
      expect(copc.status).toBe(206);
      const head = new Uint8Array(await copc.arrayBuffer());
      expect(new TextDecoder().decode(head.subarray(0, 4))).toBe('LASF');
      expect(new TextDecoder().decode(head.subarray(377, 381))).toBe('copc');
      const copcPoints = new DataView(head.buffer, head.byteOffset).getBigUint64(247, true);
      expect(copcPoints).toBe(100n);
    } finally {
      expect(await cli.stop()).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a data folder that does not exist with exit code 2 and a one-line reason', async () => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'twinview.mjs'), 'serve', '--data', '/nonexistent-twinview'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err.trim()).toBe('twinview serve: Invalid data folder: /nonexistent-twinview is not a directory');
  });
});

describe('core HTTP getter on a flaky connection', () => {
  it('tries a request again when the connection drops without an answer, and names the URL when it keeps dropping', async () => {
    // A real server that resets the socket of every third request (as a keep-alive connection closed by the
    // server just as the next request goes out), or of every request when told to.
    const body = randomBytes(5000);
    let served = 0;
    let dropAll = false;
    const server = createServer((req, res) => {
      served++;
      if (dropAll || served % 3 === 0) {
        req.socket.destroy();
        return;
      }
      const [, a, b] = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '') ?? [];
      const begin = Number(a);
      const end = Number(b);
      res.writeHead(206, { 'Content-Range': `bytes ${begin}-${end}/${body.length}`, 'Content-Length': end - begin + 1 });
      res.end(body.subarray(begin, end + 1));
    });
    const { port } = await listen(server, { port: 0, host: '127.0.0.1' });
    try {
      const url = `http://127.0.0.1:${port}/blob.bin`;
      const getter = await createHttpGetter(url, { fetch: fetchLike });
      for (let begin = 0; begin < body.length; begin += 700) {
        const end = Math.min(body.length, begin + 700);
        expect(Buffer.from(await getter.get(begin, end)).equals(body.subarray(begin, end)), `${begin}-${end}`).toBe(true);
      }
      expect(served).toBeGreaterThan(9); // some requests were dropped and made again
      dropAll = true;
      const failure = await getter.get(0, 10).catch((error: unknown) => error);
      // A TypeError, as fetch's own network failures: the viewer sorts it as a network problem, not a bad file.
      expect(failure).toBeInstanceOf(TypeError);
      expect((failure as Error).message).toMatch(new RegExp(`^Invalid response: ${url} \\(.*, 3 attempts\\)$`));
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });
});
