// The session on a phone, in Debian's Chromium against the real server: at 390x844 and 360x640,
// in the dark and the light theme, the timer and every safety control stay inside the viewport
// at every step of a sped-up session, the page never scrolls, a wake lock is held during the
// session and released after it, and axe finds nothing serious. Also: "yes" to the first
// emergency question stops the screening at once with a call link; a dropped connection resumes
// the session where the server paused it; a killed server pauses the page, says so, and offers
// to continue from the step it was on once a new server answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerScreening, finishSession, offLoopback, phone, seriousViolations, shoot, startQuestions, startServer, startSession, stubWakeLock, walkEmergency, walkScreens, withApp } from './harness.mjs';

const small = { width: 360, height: 640 };

/** Boxes of the controls that must always be in reach, and whether each is fully on screen. */
async function reach(page) {
  return page.evaluate(() => {
    const inside = (el) => {
      if (!el) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
    };
    const button = (name) => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === name);
    const s = document.scrollingElement;
    return {
      phase: document.querySelector('rc-ring .ring')?.getAttribute('aria-label') ?? '',
      title: document.querySelector('#session-title')?.textContent ?? '',
      timer: inside(document.querySelector('rc-ring .ring')),
      stop: inside(button('Numbness or tingling: stop')),
      saddle: inside(button('Numb between the legs')),
      end: inside(button('End the session')),
      tender: inside(button('Tender spot')),
      pain: inside(button('Pain')),
      pause: inside(button('Pause') ?? button('Resume')),
      instruction: inside(document.querySelector('.instruction')),
      scrolls: s.scrollHeight > window.innerHeight + 1,
    };
  });
}

for (const viewport of [phone, small]) {
  for (const colorScheme of ['dark', 'light']) {
    const name = `${viewport.width}x${viewport.height} ${colorScheme}`;
    test(`at ${name}, every step of a session keeps the timer and the safety controls on screen, with the screen kept awake`, { timeout: 180_000 }, () =>
      withApp({ server: { speed: 40 }, viewport, colorScheme, beforeStart: (browser) => stubWakeLock(browser.context) }, async ({ server, browser, page }) => {
        await startSession(page, server.url);
        await page.locator('#session-title').waitFor();
        const seen = new Set();
        let checks = 0;
        let audited = false;
        for (let i = 0; i < 600; i++) {
          if (await page.getByRole('heading', { name: /session complete|Session stopped/ }).count()) break;
          const r = await reach(page).catch(() => null);
          if (!r || !r.title) {
            await page.waitForTimeout(100);
            continue;
          }
          seen.add(`${r.title} / ${r.phase.replace(/^[\d:]+ /, '')}`);
          for (const key of ['timer', 'stop', 'saddle', 'end', 'tender', 'pain', 'pause', 'instruction'])
            assert.ok(r[key], `at ${name}, "${key}" is off screen during ${r.title} (${r.phase})`);
          assert.ok(!r.scrolls, `at ${name}, the session page scrolls during ${r.title}`);
          checks++;
          if (!audited && checks > 3) {
            audited = true;
            const wake = await page.evaluate(() => window.__wakeLog.slice());
            assert.deepEqual(wake, ['request:screen'], 'a screen wake lock is held during the session');
            await shoot(page, `session-${viewport.width}x${viewport.height}-${colorScheme}`);
            const violations = await seriousViolations(page);
            assert.deepEqual(violations, [], `axe on the session at ${name}: ${JSON.stringify(violations, null, 1)}`);
          }
          await page.waitForTimeout(120);
        }
        assert.ok(checks > 20, `the session was checked often enough (${checks} times)`);
        const steps = new Set([...seen].map((s) => s.split(' / ')[0]));
        assert.ok(steps.size >= 3, `several steps were seen: ${[...seen].join('; ')}`);
        await page.getByRole('heading', { name: /session complete|Session stopped/ }).waitFor({ timeout: 90_000 });
        await page.waitForFunction(() => window.__wakeLog.includes('release'));
        assert.equal(await page.evaluate(() => window.scrollY), 0, 'the end screen starts at the top');
        const violations = await seriousViolations(page);
        assert.deepEqual(violations, [], `axe on the end screen at ${name}: ${JSON.stringify(violations, null, 1)}`);
        assert.deepEqual(offLoopback(browser.requests), []);
      }));
  }
}

test('"yes" to the first emergency question shows the emergency advice at once, with a call link', { timeout: 120_000 }, () =>
  withApp({}, async ({ server, page }) => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: /short safety check/ }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await startQuestions(page);
    assert.match(await page.locator('.question .eyebrow').textContent(), /1 of \d+/);
    await page.getByRole('button', { name: 'Yes', exact: true }).click();
    await page.locator('.verdict').waitFor();
    assert.match(await page.locator('.verdict h1').textContent(), /urgent medical help/i);
    const call = page.getByRole('link', { name: /Call 999 now/ });
    await call.waitFor();
    assert.equal(await call.getAttribute('href'), 'tel:999');
    await page.getByText('Emergency number for the United Kingdom').waitFor();
    await shoot(page, 'phone-emergency-at-once');
    assert.deepEqual(await seriousViolations(page), []);
    // The server stored the stopping verdict: no plan, and the plan page says why once.
    const status = await page.evaluate(async () => (await fetch('/api/status')).json());
    assert.equal(status.screening.tier, 'emergency');
    await page.goto(`${server.url}#/plan`);
    await page.getByRole('heading', { name: 'No plan today' }).waitFor();
    await page.getByRole('link', { name: /Call 999 now/ }).waitFor();
    // The country is a setting: 911 for the United States.
    await page.goto(`${server.url}#/settings`);
    await page.getByLabel(/911/).check();
    await page.goto(`${server.url}#/plan`);
    assert.equal(await page.getByRole('link', { name: /Call 911 now/ }).getAttribute('href'), 'tel:911');
  }));

test('"Not sure" is an answer, and leaves the verdict at a stop until it is settled', { timeout: 120_000 }, () =>
  withApp({}, async ({ server, page }) => {
    await page.goto(server.url);
    await startQuestions(page);
    for (let i = 0; i < 80 && !(await page.locator('.verdict').count()); i++) {
      await page.getByRole('button', { name: 'Not sure' }).click();
      await page.waitForTimeout(20);
    }
    await page.locator('.verdict').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Continue' }).count(), 0, 'unsettled answers never give a go-ahead');
  }));

test('a killed server: the page pauses, says so, and once a new server answers offers to continue from the step it was on', { timeout: 180_000 }, () =>
  withApp({ server: { speed: 20 } }, async (app) => {
    const { page } = app;
    await page.addInitScript(() => {
      window.__spoken = [];
      if (window.speechSynthesis) window.speechSynthesis.speak = (u) => window.__spoken.push(u.text);
    });
    await startSession(page, app.server.url);
    await page.locator('#session-title').waitFor();
    await page.waitForFunction(() => /Step 2 of/.test(document.querySelector('.eyebrow')?.textContent ?? ''), null, { timeout: 60_000 });
    const exercise = await page.locator('#session-title').textContent();
    await app.stopServer({ signal: 'SIGKILL' });
    const banner = page.locator('.offline-banner');
    await banner.waitFor({ timeout: 10_000 });
    assert.match(await banner.textContent(), /Connection lost: the session is paused/);
    assert.match(await page.locator('rc-ring .ring').getAttribute('aria-label'), /Paused/);
    const before = await page.locator('rc-ring .ring').getAttribute('aria-label');
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('rc-ring .ring').getAttribute('aria-label'), before, 'the countdown stopped');
    assert.ok(await page.getByRole('button', { name: 'Pause' }).isDisabled(), 'controls that need the server are off');
    const r = await reach(page);
    assert.ok(r.stop && r.saddle && r.end && !r.scrolls, 'the safety controls stay on screen under the banner');
    // Spoken from the clip fetched at the start, or by the browser's speech synthesis without it.
    const spoken = await banner.getAttribute('data-spoken');
    assert.ok(spoken === 'clip' || spoken === 'synthesis', `the loss is said out loud (${spoken})`);
    if (spoken === 'synthesis') assert.ok((await page.evaluate(() => window.__spoken)).some((t) => /connection .* lost/i.test(t)));
    await shoot(page, 'phone-connection-lost');
    assert.deepEqual(await seriousViolations(page), []);

    // A new server on the same port and journal knows nothing of the session (it was in memory).
    await app.startServerAgain();
    await page.locator('.reconnected-banner').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('.reconnected-banner').textContent(), /no longer has this session/);
    await shoot(page, 'phone-reconnected');
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('button', { name: /Continue from step 2/ }).click();
    await page.locator('.offline-banner, .reconnected-banner').waitFor({ state: 'detached' });
    await page.waitForFunction(() => /Step 2 of/.test(document.querySelector('.eyebrow')?.textContent ?? ''));
    assert.equal(await page.locator('#session-title').textContent(), exercise, 'the same exercise as before the loss');
    const stats = await finishSession(page, { pain: 2 });
    assert.equal(stats.total_sessions, 1, 'the continued session is recorded once (the killed server kept nothing)');
  }));

test('a dropped connection to a server that is still running resumes the session where it paused, with one record', { timeout: 180_000 }, () =>
  withApp({ server: { speed: 4 } }, async ({ server, page }) => {
    const received = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => received.push(String(f.payload))));
    await startSession(page, server.url);
    await page.locator('#session-title').waitFor();
    await page.waitForTimeout(1500);
    const step = await page.locator('.eyebrow').first().textContent();
    // Drop the socket under the page, as a phone's network change does.
    await page.evaluate(() => document.querySelector('rc-session').socket.close());
    await page.locator('.offline-banner').waitFor({ timeout: 10_000 });
    const frozen = await page.locator('rc-ring .ring').getAttribute('aria-label');
    await page.locator('.resumed-banner').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('.resumed-banner').textContent(), /Connected again/);
    assert.equal(await page.locator('.eyebrow').first().textContent(), step, 'the same step');
    const resumed = await page.locator('rc-ring .ring').getAttribute('aria-label');
    assert.match(resumed, /Paused/);
    const seconds = (label) => label.match(/(\d+):(\d+)/).slice(1).reduce((m, x) => m * 60 + Number(x), 0);
    assert.ok(Math.abs(seconds(resumed) - seconds(frozen)) <= 2, `the countdown picks up where it froze (${frozen} -> ${resumed})`);
    const r = await reach(page);
    assert.ok(r.timer && r.stop && r.saddle && r.end && r.pause && !r.scrolls, 'the controls stay on screen under the banner');
    assert.deepEqual(await seriousViolations(page), []);
    await shoot(page, 'phone-resumed');
    const message = received.map((t) => JSON.parse(t)).find((m) => m.type === 'resumed');
    assert.ok(message?.snapshot.paused, 'the server sent the session paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.locator('.resumed-banner').waitFor({ state: 'detached' });
    await page.waitForFunction((f) => document.querySelector('rc-ring .ring')?.getAttribute('aria-label') !== f, resumed);
    const stats = await finishSession(page, { pain: 2 });
    assert.equal(stats.total_sessions, 1, 'one session, one record');
  }));

test('a numbness stop pressed while the connection is down stops at once, and reaches the server once it is back', { timeout: 180_000 }, () =>
  withApp({ server: { speed: 4 } }, async ({ server, page }) => {
    await startSession(page, server.url);
    await page.locator('#session-title').waitFor();
    // The server stays out of reach until the stop has been pressed.
    await page.route('**/api/health', (route) => route.abort());
    await page.evaluate(() => document.querySelector('rc-session').socket.close());
    await page.locator('.offline-banner').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Numb between the legs' }).click();
    await page.getByRole('heading', { name: 'Session stopped', exact: true }).waitFor();
    assert.equal(await page.locator('.stop-box > rc-call:first-child').count(), 1, 'the emergency call comes first, offline too');
    await page.unroute('**/api/health');
    // Back in reach: the page resumes the session only to deliver the stop. Once the server has
    // it, the rating after can be saved (the button waits for the connection), and the session
    // never comes back on screen.
    await page.locator('.pain-scale button', { hasText: /^3$/ }).click();
    const save = page.getByRole('button', { name: 'Save and see the summary' });
    await page.waitForFunction(() => !document.querySelector('rc-session button.primary.big')?.disabled, null, { timeout: 60_000 });
    assert.equal(await page.locator('#session-title').count(), 0, 'the stopped session did not come back');
    assert.equal(await page.getByRole('heading', { name: 'Session stopped', exact: true }).count(), 1);
    await save.click();
    await page.getByRole('heading', { name: /Session stopped for your safety/ }).waitFor();
    const history = await page.evaluate(async () => (await fetch('/api/history')).json());
    const sessions = history.filter((e) => e.kind === 'session');
    assert.equal(sessions.length, 1, 'one record');
    assert.equal(sessions[0].detail.end_reason, 'stopped_warning', `recorded as a safety stop, not a quit at the drop: ${JSON.stringify(sessions[0].detail)}`);
  }));

test('a mistaken "Dizzy" stop can be undone for a few seconds; a numbness stop between the legs never, and offers the call', { timeout: 120_000 }, () =>
  withApp({ server: { speed: 2 } }, async ({ server, page }) => {
    await startSession(page, server.url);
    await page.locator('#session-title').waitFor();
    const step = await page.locator('.eyebrow').first().textContent();
    await page.getByRole('button', { name: 'Dizzy' }).click();
    await page.getByRole('heading', { name: 'Session stopped' }).waitFor();
    assert.equal(await page.locator('.stop-box > :first-child').evaluate((el) => el.tagName), 'P', 'for dizziness the advice comes first');
    assert.equal(await page.locator('.stop-box > rc-call').count(), 1, 'and the call follows it');
    const undo = page.getByRole('button', { name: /Undo: I stopped by mistake/ });
    await undo.waitFor();
    await shoot(page, 'phone-undo-stop');
    assert.deepEqual(await seriousViolations(page), []);
    await undo.click();
    await page.locator('#session-title').waitFor();
    assert.equal(await page.locator('.eyebrow').first().textContent(), step, 'back at the same step');
    assert.match(await page.locator('rc-ring .ring').getAttribute('aria-label'), /Paused/);
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Numb between the legs' }).click();
    await page.getByRole('heading', { name: 'Session stopped' }).waitFor();
    assert.equal(await page.locator('.stop-box > rc-call:first-child').count(), 1, 'the stop cue says emergency: the call comes first');
    await page.waitForTimeout(500);
    assert.equal(await page.getByRole('button', { name: /Undo/ }).count(), 0, 'a numbness stop has no undo');
  }));

test('a session started while the server is out of reach explains itself, and the retry works once it is back', { timeout: 120_000 }, () =>
  withApp({ server: { speed: 20 } }, async (app) => {
    const { page } = app;
    await page.goto(app.server.url);
    await answerScreening(page);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: "Show today's plan" }).click();
    await page.locator('.pain-scale button', { hasText: /^3$/ }).click();
    await app.stopServer();
    await page.getByRole('button', { name: 'Start the session' }).click();
    await page.getByRole('heading', { name: /cannot start: the server is out of reach/ }).waitFor();
    await shoot(page, 'phone-offline-start');
    assert.deepEqual(await seriousViolations(page), []);
    await app.startServerAgain();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.locator('#session-title').waitFor();
  }));

test('a tender-spot press during set-up is noted by the session and starts a hold once rolling begins', { timeout: 120_000 }, () =>
  withApp({ server: { speed: 4 } }, async ({ server, page }) => {
    const sent = [];
    page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
    await startSession(page, server.url);
    await page.locator('rc-ring[aria-label], rc-ring').waitFor();
    await page.waitForFunction(() => /Set up|Getting ready/.test(document.querySelector('rc-ring .ring')?.getAttribute('aria-label') ?? ''));
    await page.getByRole('button', { name: 'Tender spot' }).click();
    await page.locator('.beat', { hasText: 'the hold on this spot starts as soon as rolling begins' }).waitFor();
    await page.waitForFunction(() => /Hold the spot/.test(document.querySelector('rc-ring .ring')?.getAttribute('aria-label') ?? ''), null, { timeout: 60_000 });
    assert.ok(sent.some((m) => m.includes('tender_spot')), 'the press was sent when rolling began');
  }));

/** The main menu's entries: their text and boxes, with the viewport's size. */
async function menu(page) {
  return page.evaluate(() => ({
    width: window.innerWidth,
    height: window.innerHeight,
    entries: [...document.querySelectorAll('nav[aria-label="Main"] a')].map((a) => {
      const r = a.getBoundingClientRect();
      return { text: a.textContent.trim(), top: r.top, left: r.left, right: r.right, bottom: r.bottom, height: r.height };
    }),
  }));
}

for (const viewport of [phone, small]) {
  for (const colorScheme of ['dark', 'light']) {
    const name = `${viewport.width}x${viewport.height} ${colorScheme}`;
    test(`at ${name}, axe finds no serious or critical problem on any screen, each screen starts at the top with its menu on one row, and zones are in plain words`, { timeout: 240_000 }, () =>
      withApp({ server: { speed: 60 }, viewport, colorScheme }, async ({ server, page }) => {
        const audit = async (screen) => {
          const violations = await seriousViolations(page);
          assert.deepEqual(violations, [], `axe on the ${screen} screen at ${name}: ${JSON.stringify(violations, null, 1)}`);
          // Zones in plain words; the anatomical names belong in the "Why?" dialogs only.
          const text = await page.evaluate(() => {
            const main = document.querySelector('main').cloneNode(true);
            main.querySelectorAll('dialog').forEach((d) => d.remove());
            return main.textContent;
          });
          assert.doesNotMatch(text, /thoracic|erector|latissimus|lumbar spine|cervical|spinae/i, `anatomical words on the ${screen} screen`);
          // The body map names every zone it draws, by the plain name the server sent (an empty
          // name would pass the check above).
          if (screen === 'plan' || screen === 'session') {
            const names = await page.locator('rc-body-map g.zone title').allTextContents();
            assert.ok(names.length >= 5 && names.every((n) => n.trim() && !/[()]/.test(n)), `body map names on the ${screen} screen: ${JSON.stringify(names)}`);
            assert.ok(names.includes('Upper and mid back'), `body map names on the ${screen} screen: ${JSON.stringify(names)}`);
            assert.match(await page.locator('rc-body-map svg').first().getAttribute('aria-label'), /Never rolled: [^.]*Lower back/);
          }
          // Screens reached by navigation start at the top (not those where the user has just
          // scrolled down to tap a pain rating, or a dialog).
          if (!['session', 'session-more', 'session-pain', 'why', 'plan', 'pain-after'].includes(screen)) {
            assert.equal(await page.evaluate(() => window.scrollY), 0, `the ${screen} screen starts at the top`);
            // The menu (every screen but the session's): all five places on one row, inside the
            // screen, each a tap target at least 44 px tall.
            if (!screen.startsWith('session')) {
              const { width, height, entries } = await menu(page);
              assert.deepEqual(entries.map((e) => e.text), ['Today', 'History', 'Roller', 'Safety', 'Settings'], `the menu on the ${screen} screen`);
              for (const e of entries) {
                assert.equal(Math.round(e.top), Math.round(entries[0].top), `at ${name}, "${e.text}" is not on the menu's one row on the ${screen} screen`);
                assert.ok(e.left >= 0 && e.right <= width && e.top >= 0 && e.bottom <= height, `at ${name}, "${e.text}" is off screen on the ${screen} screen`);
                assert.ok(e.height >= 44, `at ${name}, "${e.text}" is ${e.height} px tall on the ${screen} screen`);
              }
            }
          }
          if (screen === 'settings') await shoot(page, `settings-${viewport.width}x${viewport.height}-${colorScheme}`);
          // The plan's length is read as one: "5 min" never broken over two lines of the title.
          if (screen === 'plan')
            assert.equal(await page.locator('#plan-title .duration').evaluate((span) => span.getClientRects().length), 1, `at ${name}, the plan's length is split over two lines`);
          // A "Why?" with a long list of sources: Close is on screen without scrolling to its end.
          if (screen === 'why') {
            const close = await page.locator('dialog.explain').getByRole('button', { name: 'Close' }).evaluate((button) => {
              const r = button.getBoundingClientRect();
              const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
              return { top: r.top, bottom: r.bottom, height: window.innerHeight, onTop: button.contains(hit) };
            });
            assert.ok(close.top >= 0 && close.bottom <= close.height && close.onTop, `at ${name}, the explanation's Close is out of reach: ${JSON.stringify(close)}`);
            await shoot(page, `why-${viewport.width}x${viewport.height}-${colorScheme}`, { fullPage: false });
          }
          // Each roller's description keeps most of its card's width (beside a "Why?" column it
          // once ran three words a line, and the roller list five screens long).
          if (screen === 'chooser') {
            const shares = await page.locator('.tool').evaluateAll((cards) =>
              cards.map((card) => card.querySelector('.hint').parentElement.getBoundingClientRect().width / card.getBoundingClientRect().width));
            assert.ok(shares.length >= 4 && shares.every((share) => share >= 0.7), `at ${name}, roller descriptions take ${shares.map((x) => x.toFixed(2)).join(', ')} of their cards`);
            await shoot(page, `chooser-${viewport.width}x${viewport.height}-${colorScheme}`);
          }
        };
        await walkScreens(page, server.url, audit);
        // The emergency walk needs a fresh journal: a second server beside the first.
        const second = await startServer({ speed: 60 });
        try {
          await walkEmergency(page, second.url, audit);
        } finally {
          await second.stop();
        }
      }));
  }
}

test('settings download a calendar reminder that parses, with the chosen days and time', { timeout: 120_000 }, () =>
  withApp({}, async ({ server, page }) => {
    await page.goto(`${server.url}#/settings`);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByLabel('Time').fill('21:30');
    await page.getByLabel('Mon').check();
    await page.getByLabel('Thu').check();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Add to my calendar/ }).click()]);
    assert.equal(download.suggestedFilename(), 'rollcoach-reminder.ics');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(await download.path(), 'utf8');
    const { default: ICAL } = await import(new URL('../../web/node_modules/ical.js/dist/ical.js', import.meta.url).href);
    const event = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent');
    const rrule = event.getFirstPropertyValue('rrule');
    assert.equal(rrule.freq, 'WEEKLY');
    assert.deepEqual(rrule.getComponent('byday'), ['MO', 'TH']);
    const start = event.getFirstPropertyValue('dtstart');
    assert.deepEqual([start.hour, start.minute], [21, 30]);
    assert.ok(event.getFirstSubcomponent('valarm'), 'the event has an alarm');
  }));

test('a screening started again and abandoned blocks the plan', { timeout: 120_000 }, () =>
  withApp({}, async ({ server, page }) => {
    await page.goto(server.url);
    await answerScreening(page);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: "Show today's plan" }).click();
    await page.locator('.steps li').first().waitFor();
    await page.goto(`${server.url}#/screening`);
    await startQuestions(page);
    await page.getByRole('button', { name: 'No', exact: true }).click();
    await page.goto(`${server.url}#/plan`);
    await page.getByRole('heading', { name: 'No plan today' }).waitFor();
    await page.getByText('Your safety questions are not finished').waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/status')).json());
    assert.notEqual(status.screening.tier, 'proceed', 'the old all-clear is no longer in force');
  }));

test('"yes" to emergency signs in the check-in stops it at once, with the call link', { timeout: 120_000 }, () =>
  withApp({}, async ({ server, page }) => {
    await page.goto(server.url);
    await answerScreening(page);
    await page.goto(`${server.url}#/checkin`);
    await page.locator('.question h1').waitFor();
    await page.getByRole('button', { name: 'Yes', exact: true }).click();
    await page.locator('.verdict').waitFor();
    await page.getByText('this answer alone is enough').waitFor();
    assert.equal(await page.getByRole('link', { name: /Call 999 now/ }).getAttribute('href'), 'tel:999');
  }));

test('while the app is open, a notification comes at the reminder time once the user allows it', { timeout: 120_000 }, () =>
  withApp({}, async ({ server, page }) => {
    // A recording Notification (headless Chromium shows none), and a clock we can move.
    await page.addInitScript(() => {
      window.__notes = [];
      window.Notification = class {
        static permission = 'default';
        static async requestPermission() {
          window.Notification.permission = 'granted';
          return 'granted';
        }
        constructor(title, options) {
          window.__notes.push(`${title}: ${options?.body ?? ''}`);
        }
      };
    });
    await page.clock.install({ time: new Date(2026, 11, 1, 19, 0) });
    await page.goto(`${server.url}#/settings`);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByLabel('Time').fill('19:30');
    await page.getByRole('button', { name: /Also notify me/ }).click();
    await page.getByText('it will remind you at 19:30').waitFor();
    await page.clock.fastForward('29:00');
    assert.deepEqual(await page.evaluate(() => window.__notes), []);
    await page.clock.fastForward('02:00');
    const notes = await page.evaluate(() => window.__notes);
    assert.equal(notes.length, 1);
    assert.match(notes[0], /^rollcoach: Time for a few gentle minutes/);
  }));

test('after a first visit, the app opened without its server says it is offline and offers a retry', { timeout: 120_000 }, () =>
  withApp({}, async (app) => {
    const { page } = app;
    await page.goto(app.server.url);
    await answerScreening(page);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: "Show today's plan" }).click();
    await page.locator('.steps li').first().waitFor();
    // The service worker has the app and the last answers.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await page.locator('.steps li').first().waitFor();
    assert.equal(await page.locator('.offline-app').count(), 0, 'no banner while the server is there');
    await app.stopServer();
    await page.reload();
    const banner = page.locator('.offline-app');
    await banner.waitFor({ timeout: 15_000 });
    assert.match(await banner.textContent(), /Offline: the rollcoach server is out of reach/);
    await shoot(page, 'phone-offline-banner');
    assert.deepEqual(await seriousViolations(page), []);
    await app.startServerAgain();
    // The app also looks again on its own (with a backoff), and may find the server before the
    // click lands: then the banner is already gone, which is the outcome this waits for. A click
    // that fails while the banner is still there is a failure.
    await banner
      .getByRole('button', { name: 'Try again' })
      .click({ timeout: 5_000 })
      .catch(async (error) => {
        if ((await banner.count()) !== 0) throw error;
      });
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
  }));
