// A clinician's clearance in the browser at phone size (docs/safety.md): a flagged answer blocks
// the plan; the form under the result records who cleared the person, when and with which
// limits; today's plan then keeps to those limits and says the clinician set them. Minutes it
// cannot read are kept in the box with a message in the form's words. Also: the screening judges
// each answer without storing it, and stores only at the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { offLoopback, seriousViolations, shoot, startQuestions, withApp } from './harness.mjs';

/** Answers the screening: "Yes" where the question matches `yes`, 40 for numbers, "No" otherwise. */
async function answerWith(page, yes) {
  await startQuestions(page);
  for (let i = 0; i < 80; i++) {
    await page.locator('h1').first().waitFor();
    if (await page.locator('.verdict').count()) return;
    const number = page.locator('.number input');
    if (await number.count()) {
      await number.fill('40');
      await page.getByRole('button', { name: 'Next' }).click();
    } else {
      const text = await page.locator('.question h1').textContent();
      await page.getByRole('button', { name: yes.test(text) ? 'Yes' : 'No', exact: true }).click();
    }
    await page.waitForTimeout(20);
  }
  throw new Error('the screening never reached a verdict');
}

test('a cancer history blocks the plan until a clinician clearance is recorded; the plan then keeps to its limits', { timeout: 150_000 }, () =>
  withApp({}, async ({ server, page, requests }) => {
    await page.goto(server.url);
    await answerWith(page, /cancer/i);
    await page.locator('.verdict').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Continue' }).count(), 0);

    // Each answer was judged without being stored; only the start and the end were stored.
    assert.ok(requests.filter((u) => u.endsWith('/api/screening/evaluate')).length >= 1, 'answers were judged on the way');
    const history = await page.evaluate(async () => (await fetch('/api/history?limit=100')).json());
    assert.equal(history.filter((e) => e.kind === 'screening').length, 2, 'the empty start and the finished answers');

    await page.getByText('A clinician has checked this and said rolling is fine').click();
    const form = page.locator('rc-clearance-form form');
    await form.waitFor();
    assert.ok(await page.getByLabel(/cancer/i).isChecked(), 'the flagged answer is listed and ticked');
    // Nothing is sent without a name.
    await page.getByRole('button', { name: 'Record the clearance' }).click();
    await page.getByText('Say who cleared you').waitFor();
    await page.getByLabel('Who cleared you').fill('Dr Patel, GP');
    const today = await page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await page.getByLabel('When they saw you').fill(today);
    await page.getByLabel('Soft roller only').check();
    await page.getByLabel('Gentle pressure only').check();
    // A number the box cannot read stays in it, and the form says what is wrong (a number box
    // emptied itself on 1e400, and the limit went unsaid).
    const minutes = page.getByLabel(/Shorter sessions/);
    await minutes.pressSequentially('1e400');
    await page.getByRole('button', { name: 'Record the clearance' }).click();
    await page.getByRole('alert').filter({ hasText: 'Shorter sessions: "1e400" is not whole minutes from 1 to 60' }).waitFor();
    assert.equal(await minutes.inputValue(), '1e400', 'what was typed is kept');
    assert.doesNotMatch(await page.locator('rc-clearance-form').textContent(), /max_session_minutes/);
    await minutes.fill('4');
    // The server's refusals name the field as the form does, not by its JSON key ("by").
    await page.getByLabel('Who cleared you').fill('D'.repeat(501));
    await page.getByRole('button', { name: 'Record the clearance' }).click();
    await page.getByRole('alert').filter({ hasText: 'Who cleared you is longer than 500 characters' }).waitFor();
    assert.doesNotMatch(await page.getByRole('alert').textContent(), /"by"/);
    await page.getByLabel('Who cleared you').fill('Dr Patel, GP');
    await shoot(page, 'phone-clearance-form');
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('button', { name: 'Record the clearance' }).click();
    await page.getByText("Today's plan keeps to the limits your clinician set").waitFor();

    const listed = await page.evaluate(async () => (await fetch('/api/clearance')).json());
    assert.equal(listed.clearances[0].by, 'Dr Patel, GP');
    assert.equal(listed.clearances[0].status, 'in_force');
    assert.equal(listed.flagged.find((f) => f.rule_id === 'cancer_history').covered_by, listed.clearances[0].id);

    await page.goto(`${server.url}#/plan`);
    await page.getByRole('heading', { name: /Today's plan/ }).waitFor();
    const text = await page.locator('main').textContent();
    assert.match(text, /Pressure: gentle/i);
    // The day is in words: an ISO date in the note's brackets broke across lines at 390 px.
    assert.match(text, /Soft roller only: your clinician set this \(Dr Patel, GP, (today|yesterday|tomorrow)\)/);
    assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}/, 'no ISO date on the plan');
    assert.match(text, /At most 4 minutes a session: your clinician set this/);
    assert.match(text, /Gentle pressure only: your clinician set this/);
    await shoot(page, 'phone-plan-after-clearance');

    // Settings lists it.
    await page.goto(`${server.url}#/settings`);
    await page.getByRole('heading', { name: "Your clinician's clearance" }).waitFor();
    await page.locator('li.clearance.in_force').getByText('Dr Patel, GP').waitFor();
    const entry = await page.locator('li.clearance.in_force').textContent();
    assert.match(entry, /in force until \d{1,2} [A-Z][a-z]+ \d{4}/);
    assert.doesNotMatch(entry, /\d{4}-\d{2}-\d{2}/, 'no ISO date in the clearance list');
    assert.deepEqual(offLoopback(requests), []);
  }));

test('an emergency answer offers no clearance form, and the API refuses one', { timeout: 120_000 }, () =>
  withApp({}, async ({ server, page }) => {
    await page.goto(server.url);
    await startQuestions(page);
    await page.getByRole('button', { name: 'Yes', exact: true }).click();
    await page.locator('.verdict').waitFor();
    assert.equal(await page.locator('rc-clearance-form').count(), 0);
    const answer = await page.evaluate(async () => {
      const d = new Date();
      const on = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
      const r = await fetch('/api/clearance', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ by: 'Dr X', on, covers: ['saddle_numbness'] }),
      });
      return { status: r.status, body: await r.json() };
    });
    assert.equal(answer.status, 422);
    assert.match(answer.body.error.message, /never covers/);
    const plan = await page.evaluate(async () => {
      const r = await fetch('/api/plan');
      return { status: r.status, body: await r.json() };
    });
    assert.equal(plan.status, 409);
    assert.equal(plan.body.error.tier, 'emergency');
    assert.equal(plan.body.error.kind, 'stop_tier');
    assert.deepEqual(plan.body.error.clearable, []);
  }));
