// Headless Chromium on a page served from 127.0.0.1, for the footage scripts that run browser
// code over rendered frames (pose_landmarks.mjs, roller_sightings.mjs). Nothing is fetched from
// anywhere else: the page, the scripts and the frames are all served here.
//
//   const browser = await openLocalPage(html, { '/pose/': poseDir, '/frames/': framesDir }, 'rc-pose-');
//   try { await browser.tab.evaluate(...); } finally { await browser.close(); }
//
// `routes` maps a URL prefix to a folder (its files, no "..") or an exact URL to a file.
import { createServer } from 'node:http';
import { readFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { join, extname } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

const types = {
  '.js': 'text/javascript', '.wasm': 'application/wasm', '.png': 'image/png', '.jpg': 'image/jpeg', '.html': 'text/html',
  '.data': 'application/octet-stream', '.tflite': 'application/octet-stream', '.binarypb': 'application/octet-stream',
};

function fileFor(url, routes) {
  for (const [route, target] of Object.entries(routes)) {
    if (route.endsWith('/') && url.startsWith(route)) return join(target, url.slice(route.length).replace(/\.\./g, ''));
    if (url === route) return target;
  }
  return null;
}

export async function openLocalPage(html, routes, profilePrefix) {
  const server = createServer((req, res) => {
    const url = decodeURIComponent(req.url.split('?')[0]);
    if (url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(html);
    }
    const file = fileFor(url, routes);
    if (!file || !existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const profile = mkdtempSync(join(tmpdir(), profilePrefix));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (error) {
    server.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const close = async () => {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const tab = context.pages()[0] ?? (await context.newPage());
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    return { tab, close };
  } catch (error) {
    await close();
    throw error;
  }
}
