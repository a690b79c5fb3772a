// Shared pieces of the browser tests: start `rollcoach serve` (the binary in $ROLLCOACH) on an
// ephemeral loopback port with a temporary journal, and Debian's Chromium through playwright-core
// with the flags from docs (headless, no GPU, no network services of its own).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..');
const require = createRequire(join(repo, 'web', 'package.json'));
const { chromium } = require('playwright-core');
export const axeSource = require('axe-core').source;

export const screenshotDir = process.env.ROLLCOACH_SCREENSHOTS ?? join(repo, 'build', 'e2e-screenshots');
mkdirSync(screenshotDir, { recursive: true });

export const phone = { width: 390, height: 844 };
export const laptop = { width: 1280, height: 800 };

export function rollcoachBinary() {
  const bin = process.env.ROLLCOACH;
  if (!bin) throw new Error('set ROLLCOACH to the rollcoach binary (the Makefile does: make test-web)');
  return bin;
}

/**
 * Starts the server; resolves with { url, port, dir, stop() } once it printed its address. Pass
 * `port` and `dir` to start it again where a stopped one was (same address, same journal), and
 * `stop({ keep: true })` to keep the journal for that.
 */
export async function startServer({ speed = 60, extraArgs = [], port = 0, dir = mkdtempSync(join(tmpdir(), 'rollcoach-e2e-')) } = {}) {
  const args = ['--db', join(dir, 'journal.db'), 'serve', '--port', String(port), '--speed', String(speed), '--web', join(repo, 'web', 'dist'), ...extraArgs];
  const child = spawn(rollcoachBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`rollcoach serve did not start in 20 s:\n${output}`)), 20_000);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/open (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rollcoach serve exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    dir,
    output: () => output,
    async stop({ keep = false, signal = 'SIGTERM' } = {}) {
      child.removeAllListeners('exit');
      const exited = new Promise((r) => child.on('exit', r));
      child.kill(signal);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh Chromium profile; every request the page makes is recorded in `requests`, every console
 * error in `consoleErrors`. `extraArgs` are added to Chromium's flags (the camera tests' fake
 * camera), `initScripts` run in the page before it loads, each as [fn, arg].
 */
export async function launchBrowser(viewport = phone, { colorScheme = 'dark', extraArgs = [], initScripts = [], acceptDownloads = true, profilePrefix = 'rollcoach-chromium-' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), profilePrefix));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport,
    colorScheme,
    acceptDownloads,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required', ...extraArgs],
  });
  for (const [fn, arg] of initScripts) await context.addInitScript(fn, arg);
  const requests = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  return {
    context,
    page,
    requests,
    consoleErrors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `fn(app)` with a server and a browser, and always closes both afterwards. `app` is
 * { server, browser, page, requests, consoleErrors, stopServer({ signal }), startServerAgain(options) }: the server can be
 * stopped (its journal kept) and started again on the same port and journal, with `options` for
 * the new one, as a user's server going away and coming back; `app.server` is then the new one.
 * `beforeStart(browser)` runs before `fn`.
 */
export async function withApp({ server: serverOptions = {}, viewport = phone, colorScheme = 'dark', beforeStart } = {}, fn) {
  const app = { server: await startServer(serverOptions), running: true };
  app.browser = await launchBrowser(viewport, { colorScheme });
  app.page = app.browser.page;
  app.requests = app.browser.requests;
  app.consoleErrors = app.browser.consoleErrors;
  app.stopServer = async ({ signal = 'SIGTERM' } = {}) => {
    await app.server.stop({ keep: true, signal });
    app.running = false;
  };
  app.startServerAgain = async (options = {}) => {
    app.server = await startServer({ ...serverOptions, ...options, port: app.server.port, dir: app.server.dir });
    app.running = true;
    return app.server;
  };
  try {
    if (beforeStart) await beforeStart(app.browser);
    return await fn(app);
  } finally {
    await app.browser.close();
    if (app.running) await app.server.stop();
    else rmSync(app.server.dir, { recursive: true, force: true });
  }
}

/** Ends the running session from its page (checking it says so), rates the pain after, saves, and resolves with /api/stats. */
export async function finishSession(page, { pain = 2 } = {}) {
  await page.getByRole('button', { name: 'End the session' }).click();
  // Ended by the user part-way: never "Well done: session complete".
  await page.getByRole('heading', { name: 'Session stopped early', exact: true }).waitFor();
  await page.locator('.pain-scale button', { hasText: new RegExp(`^${pain}$`) }).click();
  await page.getByRole('button', { name: 'Save and see the summary' }).click();
  await page.waitForFunction(() => !document.querySelector('rc-session'));
  return page.evaluate(async () => (await fetch('/api/stats')).json());
}

/** Serious or critical axe-core violations on the current page. */
export async function seriousViolations(page) {
  // Evaluated over the DevTools protocol: the page's CSP (rightly) blocks an inline <script>.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Saves a screenshot as build/e2e-screenshots/<name>.png: the whole page, or only what is on
 * screen with `{ fullPage: false }` (a dialog over the page). */
export async function shoot(page, name, { fullPage = true } = {}) {
  const file = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** Answers the whole screening: `yesFor` ids get "Yes", every other yes/no "No", numbers `age`. */
export async function answerScreening(page, { yesFirst = false, age = 40 } = {}) {
  await startQuestions(page);
  let first = true;
  for (let i = 0; i < 80; i++) {
    await page.locator('.question h1, .verdict').first().waitFor();
    if (await page.locator('.verdict').count()) return;
    const asked = await page.locator('.question h1').textContent();
    const numberInput = page.locator('.number input');
    if (await numberInput.count()) {
      await numberInput.fill(String(age));
      await page.getByRole('button', { name: 'Next' }).click();
    } else {
      const label = first && yesFirst ? 'Yes' : 'No';
      const button = page.getByRole('button', { name: label, exact: true });
      if (await button.count()) await button.click();
      else await page.locator('.answers button').first().click();
    }
    first = false;
    // The next question (or the verdict) before looking again: on a loaded machine a fixed pause
    // let the loop read one question and click in the next, or wait for buttons the verdict has not.
    await page.waitForFunction(
      (before) => document.querySelector('.verdict') || document.querySelector('.question h1')?.textContent !== before,
      asked,
      { timeout: 30_000 },
    );
  }
  throw new Error('the screening never reached a verdict');
}

/** Passes the welcome before the first screening question. */
export async function startQuestions(page) {
  const start = page.getByRole('button', { name: 'Start the questions' });
  await start.or(page.locator('.question h1')).first().waitFor();
  if (await start.count()) await start.click();
  await page.locator('.question h1').waitFor();
}

/**
 * Replaces navigator.wakeLock before the page loads, recording each request and release in
 * window.__wakeLog, so a test can see what the page asked for.
 */
export async function stubWakeLock(context) {
  await context.addInitScript(() => {
    window.__wakeLog = [];
    const wakeLock = {
      async request(type) {
        window.__wakeLog.push(`request:${type}`);
        const listeners = [];
        return {
          released: false,
          type,
          addEventListener(name, fn) {
            if (name === 'release') listeners.push(fn);
          },
          async release() {
            if (this.released) return;
            this.released = true;
            window.__wakeLog.push('release');
            listeners.forEach((fn) => fn());
          },
        };
      },
    };
    Object.defineProperty(navigator, 'wakeLock', { value: wakeLock, configurable: true });
  });
}

/** Goes from a fresh journal to a running session: screening, roller, plan, pain before. */
export async function startSession(page, url, { pain = 3 } = {}) {
  await page.goto(url);
  await answerScreening(page);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: "Show today's plan" }).click();
  await page.locator('.pain-scale button', { hasText: new RegExp(`^${pain}$`) }).click();
  await page.getByRole('button', { name: 'Start the session' }).click();
  await page.locator('rc-ring').waitFor();
}

export function offLoopback(requests) {
  return requests.filter((url) => {
    const u = new URL(url);
    if (u.protocol === 'data:' || u.protocol === 'blob:') return false;
    return u.hostname !== '127.0.0.1';
  });
}

/**
 * Walks every screen of the app from a fresh journal, calling `visit(name)` on each: the
 * welcome, a question, the verdict, the roller chooser, settings, the plan, a "Why?" dialog, the
 * session (and its "More" and pain panels), the pain rating after, the summary and the history.
 * Used by the axe test at every size and theme and by `make screens`.
 */
export async function walkScreens(page, url, visit) {
  await page.goto(url);
  await page.getByRole('button', { name: 'Start the questions' }).waitFor();
  await visit('welcome');
  await startQuestions(page);
  await visit('question');
  await answerScreening(page);
  await page.locator('.verdict').waitFor();
  await visit('verdict');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('.tool').first().waitFor();
  await visit('chooser');
  await page.getByRole('button', { name: "Show today's plan" }).click();
  await page.locator('.steps li').first().waitFor();
  await page.goto(`${url.replace(/\?.*$/, '')}#/settings`);
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  await visit('settings');
  await page.goto(`${url.replace(/\?.*$/, '')}#/plan`);
  await page.locator('.steps li').first().waitFor();
  await page.locator('.steps rc-why button').first().click();
  await page.locator('dialog.explain h3', { hasText: 'Sources' }).waitFor();
  await visit('why');
  await page.getByRole('button', { name: 'Close' }).click();
  await page.locator('.pain-scale button', { hasText: /^4$/ }).click();
  await visit('plan');
  await page.getByRole('button', { name: 'Start the session' }).click();
  await page.locator('#session-title').waitFor();
  await page.waitForTimeout(300);
  await visit('session');
  await page.getByRole('button', { name: 'More' }).click();
  await page.locator('dialog.more[open]').waitFor();
  await visit('session-more');
  await page.locator('dialog.more').getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Pain', exact: true }).click();
  await page.locator('.sheet').waitFor();
  await visit('session-pain');
  await page.locator('.sheet').getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('heading', { name: /session complete|Session stopped/ }).waitFor({ timeout: 120_000 });
  await page.locator('.pain-scale button', { hasText: /^2$/ }).click();
  await visit('pain-after');
  await page.getByRole('button', { name: 'Save and see the summary' }).click();
  await page.getByRole('heading', { name: 'Session summary' }).waitFor();
  await visit('summary');
  await page.getByRole('link', { name: 'See your history' }).click();
  await page.locator('.pain-chart canvas').waitFor();
  await visit('history');
}

/** From a fresh journal: "yes" to the first question (the emergency at once), then the plan page that refuses. */
export async function walkEmergency(page, url, visit) {
  await page.goto(url);
  await startQuestions(page);
  await page.getByRole('button', { name: 'Yes', exact: true }).click();
  await page.locator('.verdict').waitFor();
  await visit('emergency');
  await page.goto(`${url.replace(/\?.*$/, '')}#/plan`);
  await page.getByRole('heading', { name: 'No plan today' }).waitFor();
  await visit('no-plan');
}
