// `make screens`: a screenshot of every screen at phone size (390x844), in the dark theme and
// the light one, into docs/screens/ (or the folder given as the first argument). Needs
// $ROLLCOACH (the binary) and a built web/dist.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, phone, repo, startServer, walkEmergency, walkScreens } from './harness.mjs';

const out = process.argv[2] ?? join(repo, 'docs', 'screens');
mkdirSync(out, { recursive: true });

for (const colorScheme of ['dark', 'light']) {
  for (const walk of [walkScreens, walkEmergency]) {
    const server = await startServer({ speed: 30 });
    const browser = await launchBrowser(phone, { colorScheme });
    let n = walk === walkScreens ? 0 : 20;
    try {
      await walk(browser.page, server.url, async (name) => {
        n += 1;
        const file = join(out, `${String(n).padStart(2, '0')}-${name}-${colorScheme}.png`);
        // The session is shown as the phone shows it (no scrolling); other screens whole.
        await browser.page.screenshot({ path: file, fullPage: !name.startsWith('session') });
        console.log(file);
      });
    } finally {
      await browser.close();
      await server.stop();
    }
  }
}
