// The next-day check-in on a phone (390x844), in Debian's Chromium against the real server:
// "Nothing: I feel fine" ends the questions there, never asking where it hurts or how much, and
// the verdict lets the user roll; any other feeling goes on to those questions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { answerScreening, repo, rollcoachBinary, seriousViolations, shoot, withApp } from './harness.mjs';

/** Opens the check-in and records the text of every question it shows (window.__asked). */
async function openCheckin(page, url) {
  await page.goto(url);
  await answerScreening(page);
  await page.goto(`${url}#/checkin`);
  await page.locator('.question h1').waitFor();
  await page.evaluate(() => {
    window.__asked = [];
    const note = () => {
      const text = document.querySelector('.question h1')?.textContent;
      if (text && window.__asked.at(-1) !== text) window.__asked.push(text);
    };
    note();
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

test('"Nothing: I feel fine" at the check-in is not followed by where it hurts, and lets the user roll', { timeout: 120_000 }, () =>
  withApp({}, async ({ server, page }) => {
    await openCheckin(page, server.url);
    await page.getByRole('button', { name: 'No', exact: true }).click();
    // The counter promises no question that "nothing" leaves out: two are asked, "up to" the rest.
    await page.getByRole('button', { name: 'Nothing: I feel fine' }).waitFor();
    assert.match(await page.locator('.question .eyebrow').textContent(), / 2 of up to [67]$/);
    await page.getByRole('button', { name: 'Nothing: I feel fine' }).click();
    await page.locator('.verdict').waitFor();
    const asked = await page.evaluate(() => window.__asked);
    assert.equal(asked.length, 2, `asked: ${asked.join(' | ')}`);
    assert.ok(!asked.some((text) => /Where do you feel it|How strong|swollen|Compared with yesterday/.test(text)), asked.join(' | '));
    assert.equal(await page.locator('.verdict .warn').count(), 0, 'no "answers are missing"');
    assert.match(await page.locator('#verdict-title').textContent(), /^You can roll today$/);
    await shoot(page, 'phone-checkin-feeling-fine');
    assert.deepEqual(await seriousViolations(page), []);
  }));

test('a dull ache at the check-in goes on to where it hurts; changed back to "nothing", that answer is dropped', { timeout: 120_000 }, () =>
  withApp({}, async ({ server, page }) => {
    await openCheckin(page, server.url);
    await page.getByRole('button', { name: 'No', exact: true }).click();
    await page.getByRole('button', { name: /A dull ache/ }).click();
    await page.getByRole('heading', { name: 'Where do you feel it most?' }).waitFor();
    // Each place is a row of its own, as wide as the others (two to a row once wrapped
    // "Sides of the back, under the arms" one word a line).
    const widths = await page.locator('.answers button').evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().width)));
    assert.equal(new Set(widths).size, 1, `choice widths: ${widths.join(', ')}`);
    await shoot(page, 'phone-checkin-where');
    await page.getByRole('button', { name: 'Lower back' }).click();
    await page.getByRole('heading', { name: /How strong is it/ }).waitFor();
    assert.match(await page.locator('.question .eyebrow').textContent(), / 4 of [67]$/);
    // Back to the feeling, changed to "nothing": the lower back (which would change the plan) is
    // neither asked again nor sent.
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await page.getByRole('button', { name: 'Nothing: I feel fine' }).click();
    await page.locator('.verdict').waitFor();
    assert.match(await page.locator('#verdict-title').textContent(), /^You can roll today$/);
  }));

// Before any session there is no "last session" to ask about: a dull ache on a new journal is not
// followed by "did this start after your last session?", and it is the usual ache, so the user
// may roll (it used to ask, and "after my last session" read the missing session as soreness that
// had lasted over a week: a stop).
test('a check-in before the first session does not ask about a last session, and a mild ache lets the user roll', { timeout: 120_000 }, () =>
  withApp({}, async ({ server, page }) => {
    await openCheckin(page, server.url);
    assert.match(await page.locator('.question h1').textContent(), /./);
    await page.getByRole('button', { name: 'No', exact: true }).click();
    await page.getByRole('button', { name: /A dull ache/ }).click();
    await page.getByRole('button', { name: 'Upper or middle back' }).click();
    await page.getByRole('heading', { name: /How strong is it/ }).waitFor();
    await page.locator('form.number input').fill('3');
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByRole('button', { name: 'About the same' }).click();
    await page.getByRole('button', { name: 'No', exact: true }).click();
    await page.locator('.verdict').waitFor();
    const asked = await page.evaluate(() => window.__asked);
    assert.ok(!asked.some((text) => /last session/.test(text)), asked.join(' | '));
    assert.equal(asked.length, 6, `asked: ${asked.join(' | ')}`);
    assert.match(await page.locator('#verdict-title').textContent(), /^You can roll today$/);
    await shoot(page, 'phone-checkin-before-any-session');
  }));

// A warning sign at a check-in pauses sessions; History offers the clearance form. Once it is
// recorded the pause is over: the card says so (it used to go on saying "Sessions are paused",
// since the journal still held the warning the clearance had lifted).
test('a check-in warning cleared from History ends the pause there and then', { timeout: 120_000 }, () =>
  withApp({}, async ({ server, page }) => {
    await page.goto(server.url);
    await answerScreening(page);
    // The check-in with sharp pain, taken in the terminal on the same journal.
    const answers = join(repo, 'tests/scenarios/triage/rule_checkin_sharp_pain/answers.json');
    const taken = spawnSync(rollcoachBinary(), ['--db', join(server.dir, 'journal.db'), 'checkin', '--answers', answers], { encoding: 'utf8' });
    assert.equal(taken.status, 11, taken.stderr);
    await page.goto(`${server.url}#/history`);
    await page.getByRole('heading', { name: 'Sessions are paused' }).waitFor();
    await page.getByText('A clinician has checked this and said rolling is fine').click();
    await page.getByLabel('Who cleared you').fill('Sam, physiotherapist');
    const today = await page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await page.getByLabel('When they saw you').fill(today);
    await page.getByRole('button', { name: 'Record the clearance' }).click();
    await page.getByText('Recorded: the warning sign no longer pauses your sessions.').waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Sessions are paused' }).count(), 0);
    await shoot(page, 'phone-history-warning-cleared');
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('link', { name: "See today's plan" }).click();
    await page.getByRole('button', { name: 'Start the session' }).waitFor();
  }));
