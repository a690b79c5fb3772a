// `make screens`: a screenshot of every screen at phone size (390x844), in the dark theme and
// the light one, into docs/screens/ (or the folder given as the first argument). Needs
// $ROLLCOACH (the binary) and a built web/dist.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repo, walkEmergency, walkScreens, withApp } from './harness.mjs';

const out = process.argv[2] ?? join(repo, 'docs', 'screens');
mkdirSync(out, { recursive: true });

for (const colorScheme of ['dark', 'light']) {
  for (const walk of [walkScreens, walkEmergency]) {
    let n = walk === walkScreens ? 0 : 20;
    await withApp({ server: { speed: 30 }, colorScheme }, ({ server, page }) =>
      walk(page, server.url, async (name) => {
        n += 1;
        const file = join(out, `${String(n).padStart(2, '0')}-${name}-${colorScheme}.png`);
        // The session is shown as the phone shows it (no scrolling); other screens whole.
        await page.screenshot({ path: file, fullPage: !name.startsWith('session') });
        console.log(file);
      }),
    );
  }
}
