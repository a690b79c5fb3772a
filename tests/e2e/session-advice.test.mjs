// Back-off advice on a phone (390x844), in Debian's Chromium against the real server: a pain
// rating of 7 or more is answered with advice that is said once and then stays on screen, however
// many cues follow, until the user acts on it ("I have eased off", or a lower rating). A person
// lying on the roller may not have heard it, or looked up in time to read it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phone, seriousViolations, shoot, startSession, withApp } from './harness.mjs';

const small = { width: 360, height: 640 };

/** Rates the pain from the session screen's Pain button. */
async function ratePain(page, rating) {
  await page.getByRole('button', { name: 'Pain', exact: true }).click();
  await page.locator('.sheet .pain-scale button', { hasText: new RegExp(`^${rating}$`) }).click();
}

/** Waits for the rolling part of the first step (tempo cues every few seconds of session time). */
async function untilRolling(page) {
  await page.waitForFunction(() => /Roll slowly/.test(document.querySelector('rc-ring .ring')?.getAttribute('aria-label') ?? ''), null,
    { timeout: 60_000 });
}

// At 2x the first step rolls for 30 s (room for a loaded machine) and its tempo cues come every
// 1.5 s: without standing advice the line that showed it changes within seconds.
for (const [viewport, colorScheme] of [[phone, 'dark'], [small, 'light']]) {
  const name = `${viewport.width}x${viewport.height}`;
  test(`at ${name}, back-off advice stays on screen past 5 s of further cues, with every control in reach, until "I have eased off"`, { timeout: 120_000 }, () =>
  withApp({ server: { speed: 2 }, viewport, colorScheme }, async ({ server, page }) => {
    await startSession(page, server.url);
    await untilRolling(page);
    const step = await page.locator('.eyebrow').first().textContent();
    await ratePain(page, 8);
    const advice = page.locator('.advice[role="alert"]');
    await advice.waitFor();
    assert.match(await advice.textContent(), /more pressure than you need/);
    const beats = new Set();
    for (let i = 0; i < 14; i++) {
      await page.waitForTimeout(500);
      beats.add(await page.evaluate(() => document.querySelector('rc-session').view.lastCue?.text ?? ''));
    }
    assert.ok(beats.size > 2, `cues went on meanwhile (${[...beats].join(' | ')})`);
    assert.equal(await page.locator('.eyebrow').first().textContent(), step, 'still the same exercise');
    assert.ok(await advice.isVisible(), 'the advice is still shown 7 s later');
    assert.match(await advice.textContent(), /more pressure than you need/);
    const fits = await page.evaluate(() => {
      const inside = (el) => {
        const r = el?.getBoundingClientRect();
        return !!r && r.width > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
      };
      const button = (name) => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === name);
      return {
        advice: inside(document.querySelector('.advice')),
        timer: inside(document.querySelector('rc-ring .ring')),
        stop: inside(button('Numbness or tingling: stop')),
        saddle: inside(button('Numb between the legs')),
        pain: inside(button('Pain')),
        end: inside(button('End the session')),
        eased: inside(button('I have eased off')),
        more: inside(button('More')),
        scrolls: document.scrollingElement.scrollHeight > window.innerHeight + 1,
      };
    });
    assert.deepEqual(fits, { advice: true, timer: true, stop: true, saddle: true, pain: true, end: true, eased: true, more: true, scrolls: false });
    await shoot(page, `phone-back-off-advice-${name}-${colorScheme}`);
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('button', { name: 'I have eased off' }).click();
    await advice.waitFor({ state: 'detached' });
    await page.locator('.instruction').waitFor();
  }));
}

test('back-off advice goes once the pain is rated below 7', { timeout: 120_000 }, () =>
  withApp({ server: { speed: 4 } }, async ({ server, page }) => {
    await startSession(page, server.url);
    await untilRolling(page);
    await ratePain(page, 7);
    const advice = page.locator('.advice');
    await advice.waitFor();
    await ratePain(page, 4);
    await advice.waitFor({ state: 'detached' });
  }));
