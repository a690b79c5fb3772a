// The web app in Debian's Chromium against the real server: the whole flow, a stop-tier
// screening, a numbness stop, screenshots at phone and laptop sizes, an axe-core audit and a
// check that nothing is requested off 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerScreening, startQuestions, laptop, offLoopback, phone, seriousViolations, shoot, withApp } from './harness.mjs';

// Every flow also checks that the page requested nothing off 127.0.0.1.
const flow = (viewport, body, speed = 60) =>
  withApp({ server: { speed }, viewport }, async (app) => {
    await body(app);
    assert.deepEqual(offLoopback(app.requests), [], 'the page requested something off 127.0.0.1');
  });

async function assertAccessible(page, screen) {
  const violations = await seriousViolations(page);
  assert.deepEqual(violations, [], `axe-core found serious problems on the ${screen} screen: ${JSON.stringify(violations, null, 1)}`);
}

test('the whole flow from screening to history, in an accelerated session', { timeout: 180_000 }, async () => {
  await flow(phone, async ({ server, page, consoleErrors }) => {
    await page.goto(server.url);
    await page.getByText('A few safety questions first').waitFor();
    await shoot(page, 'phone-0-welcome');
    await assertAccessible(page, 'welcome');
    await startQuestions(page);
    await shoot(page, 'phone-1-screening');
    await assertAccessible(page, 'screening');
    await answerScreening(page);
    await page.getByRole('heading', { name: /You can roll today/ }).waitFor();
    await shoot(page, 'phone-2-verdict');
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('heading', { name: 'Your roller and you' }).waitFor();
    await page.locator('.tool').first().waitFor();
    await shoot(page, 'phone-3-chooser');
    await assertAccessible(page, 'roller chooser');
    await page.getByRole('button', { name: "Show today's plan" }).click();

    await page.getByRole('heading', { name: /Today's plan/ }).waitFor();
    await page.locator('.steps li').first().waitFor();
    assert.ok((await page.locator('.steps li').count()) >= 2, 'the plan has steps');
    await page.locator('.steps rc-why button').first().click();
    await page.locator('dialog.explain h3', { hasText: 'Sources' }).waitFor();
    await shoot(page, 'phone-4-why');
    await page.getByRole('button', { name: 'Close' }).click();
    await page.locator('.pain-scale button', { hasText: /^4$/ }).click();
    await shoot(page, 'phone-5-plan');
    await assertAccessible(page, 'plan');
    await page.getByRole('button', { name: 'Start the session' }).click();

    await page.locator('rc-ring').waitFor();
    await page.getByRole('button', { name: 'Tender spot' }).click();
    await page.waitForTimeout(300);
    await shoot(page, 'phone-6-session');
    await assertAccessible(page, 'session');
    await page.getByRole('heading', { name: /session complete/ }).waitFor({ timeout: 90_000 });
    await page.locator('.pain-scale button', { hasText: /^2$/ }).click();
    await shoot(page, 'phone-7-pain-after');
    await page.getByRole('button', { name: 'Save and see the summary' }).click();

    await page.getByRole('heading', { name: 'Session summary' }).waitFor();
    await page.getByText('Pain 4 before, 2 after').waitFor();
    await shoot(page, 'phone-8-summary');
    await page.getByRole('link', { name: 'See your history' }).click();

    await page.getByRole('heading', { name: /Your streak: 1 day/ }).waitFor();
    await page.locator('.pain-chart canvas').waitFor();
    await page.locator('.calendar td.rolled').first().waitFor();
    await shoot(page, 'phone-9-history');
    await assertAccessible(page, 'history');
    // The clinician's report is one tap away, and what it links to is a PDF of this session.
    const report = page.getByRole('link', { name: 'Report for your clinician (PDF)' });
    const pdf = await page.evaluate(async (href) => {
      const reply = await fetch(href);
      const bytes = new Uint8Array(await reply.arrayBuffer());
      return { status: reply.status, type: reply.headers.get('content-type'), magic: String.fromCharCode(...bytes.slice(0, 5)), size: bytes.length };
    }, await report.getAttribute('href'));
    assert.equal(pdf.status, 200);
    assert.match(pdf.type, /application\/pdf/);
    assert.equal(pdf.magic, '%PDF-');
    assert.ok(pdf.size > 1000, `a report of ${pdf.size} bytes is too small`);
    assert.deepEqual(consoleErrors.filter((e) => !/voice|Failed to load resource/.test(e)), []);
  }, 20);
});

test('a stop-tier screening ends the flow and never reaches a session', { timeout: 120_000 }, async () => {
  await flow(phone, async ({ server, page }) => {
    const sessions = [];
    page.on('websocket', (ws) => sessions.push(ws.url()));
    await page.goto(server.url);
    await answerScreening(page, { yesFirst: true });
    await page.locator('.verdict').waitFor();
    const headline = await page.locator('.verdict h1').textContent();
    assert.match(headline, /medical|clinician|doctor/i);
    assert.equal(await page.getByRole('button', { name: 'Continue' }).count(), 0, 'a stop tier offers no way on');
    await shoot(page, 'phone-stop-tier');
    await assertAccessible(page, 'stop-tier verdict');
    await page.goto(`${server.url}#/plan`);
    await page.getByRole('heading', { name: 'No plan today' }).waitFor();
    const planText = await page.locator('main').textContent();
    assert.equal(planText.match(/No plan today/g).length, 1, 'the refusal says "No plan today" once');
    assert.doesNotMatch(planText, /\(emergency\)|\(clinician_[a-z]+\)/, 'no tier ids in the sentence');
    await page.goto(`${server.url}#/session`);
    await page.waitForTimeout(500);
    assert.deepEqual(sessions, [], 'no session WebSocket was opened');
  });
});

test('numbness during a session stops it at once with what to do', { timeout: 120_000 }, async () => {
  await flow(phone, async ({ server, page }) => {
    await page.goto(server.url);
    await answerScreening(page);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: "Show today's plan" }).click();
    await page.locator('.pain-scale button', { hasText: /^3$/ }).click();
    await page.getByRole('button', { name: 'Start the session' }).click();
    await page.locator('rc-ring').waitFor();
    await page.getByRole('button', { name: 'Numbness or tingling: stop' }).click();
    await page.getByRole('heading', { name: 'Session stopped' }).waitFor();
    const stop = await page.locator('.stop-box').textContent();
    assert.ok(stop && stop.trim().length > 20, 'the stop message says what happened and what to do');
    await shoot(page, 'phone-numbness-stop');
    await assertAccessible(page, 'safety stop');
  }, 1);
});

test('every screen at laptop size', { timeout: 180_000 }, async () => {
  await flow(laptop, async ({ server, page }) => {
    await page.goto(server.url);
    await page.getByText('A few safety questions first').waitFor();
    await shoot(page, 'laptop-1-screening');
    await answerScreening(page);
    await page.locator('.verdict').waitFor();
    await shoot(page, 'laptop-2-verdict');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('.tool').first().waitFor();
    await shoot(page, 'laptop-3-chooser');
    await page.getByRole('button', { name: "Show today's plan" }).click();
    await page.locator('.steps li').first().waitFor();
    await page.locator('.pain-scale button', { hasText: /^5$/ }).click();
    await shoot(page, 'laptop-4-plan');
    await page.getByRole('button', { name: 'Start the session' }).click();
    await page.locator('rc-ring').waitFor();
    await page.waitForTimeout(400);
    await shoot(page, 'laptop-5-session');
    await page.getByRole('heading', { name: /session complete|Session stopped/ }).waitFor({ timeout: 60_000 });
    await page.locator('.pain-scale button', { hasText: /^3$/ }).click();
    await page.getByRole('button', { name: 'Save and see the summary' }).click();
    await page.getByRole('heading', { name: 'Session summary' }).waitFor();
    await shoot(page, 'laptop-6-summary');
    await page.getByRole('link', { name: 'See your history' }).click();
    await page.locator('.pain-chart canvas').waitFor();
    await shoot(page, 'laptop-7-history');
    await assertAccessible(page, 'history (laptop)');
  });
});

test('with an access token, the page needs the printed link and then works through its cookie', { timeout: 120_000 }, () =>
  withApp({ server: { extraArgs: ['--token', 'e2e-token-0123456789abcdef'] } }, async ({ server, page, requests }) => {
    assert.match(server.url, /\?token=e2e-token-0123456789abcdef$/);
    const bare = server.url.replace(/\?token=.*$/, '');
    const refused = await page.goto(bare);
    assert.equal(refused.status(), 401);
    await page.getByRole('heading', { name: 'Access token required' }).waitFor();
    await shoot(page, 'phone-token-required');
    await page.goto(server.url);
    await page.getByText('A few safety questions first').waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/status')).status);
    assert.equal(status, 200, 'API calls from the page carry the token cookie');
    assert.deepEqual(offLoopback(requests), []);
  }));
