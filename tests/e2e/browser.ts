/**
 * The Playwright harness: real Chromium (Debian's /usr/bin/chromium, driven by playwright-core) with SwiftShader
 * WebGL, headless, in a fresh profile, so every e2e test starts from a clean browser without a GPU.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** The Chromium binary; CHROMIUM_PATH overrides it (see README). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags: WebGL through ANGLE on SwiftShader (no GPU here), no sandbox (root in a container), no background traffic. */
export const CHROMIUM_ARGS = [
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A running browser with its own throw-away profile. */
export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh user-data dir (and `extraArgs` after the standard flags); throws with an
 * install hint when Chromium is missing.
 */
export async function launchBrowser(
  options: { viewport?: { width: number; height: number }; extraArgs?: readonly string[] } = {},
): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Invalid browser: ${CHROMIUM_PATH} does not exist (apt-get install chromium, or set CHROMIUM_PATH)`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'twinview-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    viewport: options.viewport ?? { width: 1024, height: 768 },
    deviceScaleFactor: 1,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What a page did while a test watched it. */
export interface PageLog {
  /** Every request URL the page made, in order. */
  readonly requests: string[];
  /** Console messages as `type: text`. */
  readonly console: string[];
  /** Uncaught page errors. */
  readonly pageErrors: string[];
  /** Requests that failed at the network level, as `url: reason`. */
  readonly failedRequests: string[];
  /** Every request with its method, Range header and response status (filled when the response arrives). */
  readonly details: RequestDetail[];
}

/** One request of a page. */
export interface RequestDetail {
  readonly url: string;
  readonly method: string;
  /** The Range header, when sent. */
  readonly range: string | undefined;
  status: number | undefined;
}

/**
 * Opens a new page that records requests, console output and errors, and collects Content-Security-Policy
 * violations in the page (read them with {@link cspViolations}).
 */
export async function openLoggedPage(context: BrowserContext): Promise<{ page: Page; log: PageLog }> {
  const page = await context.newPage();
  // Injected by the browser before any page script, so the page's own CSP does not apply to it.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.effectiveDirective} ${event.blockedURI}`);
    });
  });
  const log: PageLog = { requests: [], console: [], pageErrors: [], failedRequests: [], details: [] };
  const byRequest = new Map<unknown, RequestDetail>();
  page.on('request', (request) => {
    log.requests.push(request.url());
    const detail: RequestDetail = { url: request.url(), method: request.method(), range: request.headers().range, status: undefined };
    byRequest.set(request, detail);
    log.details.push(detail);
  });
  page.on('response', (response) => {
    const detail = byRequest.get(response.request());
    if (detail) detail.status = response.status();
  });
  page.on('console', (message) => log.console.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => log.pageErrors.push(error.message));
  page.on('requestfailed', (request) => log.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`));
  return { page, log };
}

/** Waits until the viewer reports a final state in `document.body.dataset.state` and returns it. */
export async function waitForViewerState(page: Page, timeoutMs = 90_000): Promise<string> {
  await page.waitForFunction(
    () => ['ready', 'error', 'empty'].includes(document.body.dataset.state ?? ''),
    undefined,
    { timeout: timeoutMs, polling: 100 },
  );
  return page.evaluate(() => document.body.dataset.state ?? '');
}

/** The CSP violations the page reported so far, as `directive blocked-uri`. */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}
