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

/** Starts the server; resolves with { url, port, stop() } once it printed its address. */
export async function startServer({ speed = 60, extraArgs = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rollcoach-e2e-'));
  const args = ['--db', join(dir, 'journal.db'), 'serve', '--port', '0', '--speed', String(speed), '--web', join(repo, 'web', 'dist'), ...extraArgs];
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
    output: () => output,
    async stop() {
      child.removeAllListeners('exit');
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh Chromium profile; every request the page makes is recorded in `requests`. */
export async function launchBrowser(viewport = phone) {
  const profile = mkdtempSync(join(tmpdir(), 'rollcoach-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
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

export async function shoot(page, name) {
  const file = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Answers the whole screening: `yesFor` ids get "Yes", every other yes/no "No", numbers `age`. */
export async function answerScreening(page, { yesFirst = false, age = 40 } = {}) {
  let first = true;
  for (let i = 0; i < 80; i++) {
    const heading = page.locator('h1');
    await heading.first().waitFor();
    if (await page.locator('.verdict').count()) return;
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
    await page.waitForTimeout(20);
  }
  throw new Error('the screening never reached a verdict');
}

export function offLoopback(requests) {
  return requests.filter((url) => {
    const u = new URL(url);
    if (u.protocol === 'data:' || u.protocol === 'blob:') return false;
    return u.hostname !== '127.0.0.1';
  });
}
