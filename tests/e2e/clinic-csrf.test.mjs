// A stale CSRF token in the browser (clinic mode, web/src/lib/api.ts): the therapist's page holds
// the token of its login; the login is then renewed in the same browser (as a second tab logging
// in does), so the page's token is out of date. Inviting a patient must still work: the server
// refuses the first try (403 csrf, nothing changed), the page asks /api/me for the current token
// and sends the invitation once more. Against a real PostgreSQL and `rollcoach serve --clinic`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, phone } from './harness.mjs';
import { addTherapist, startClinicServer, startPostgres } from './clinic-harness.mjs';

const therapist = { email: 'robin@clinic.example', name: 'Robin Hale', password: 'robins long password' };

let postgres;
let server;

describe('a stale CSRF token in the browser', { timeout: 180_000 }, () => {
  before(async () => {
    postgres = await startPostgres();
    addTherapist(postgres.uri, therapist);
    server = await startClinicServer(postgres.uri);
  });

  after(async () => {
    await server?.stop();
    postgres?.stop();
  });

  it('is refreshed from /api/me and the invitation is sent once more, with no error shown', async () => {
    const browser = await launchBrowser(phone);
    try {
      const { page } = browser;
      await page.goto(`${server.url}#/login`);
      await page.getByLabel('Email').fill(therapist.email);
      await page.getByLabel('Password').fill(therapist.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Your patients' }).waitFor();

      // Another tab logs in: the browser's cookie is now a new login with a new token.
      const renewed = await page.evaluate(async (who) => {
        const r = await fetch('/api/login', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email: who.email, password: who.password }),
        });
        return r.status;
      }, therapist);
      assert.equal(renewed, 200);

      const seen = [];
      page.on('response', (r) => {
        const path = new URL(r.url()).pathname;
        if (path.startsWith('/api/clinic/invites') || path === '/api/me') seen.push(`${r.request().method()} ${path} ${r.status()}`);
      });
      await page.getByLabel('Name').fill('Kim Patient');
      await page.getByLabel('Email').fill('kim@example.org');
      await page.getByRole('button', { name: 'Create the invite link' }).click();
      const link = page.getByLabel('One-time link');
      await link.waitFor();
      assert.match(await link.inputValue(), /#\/invite\/[A-Za-z0-9_-]{16,}$/);
      assert.deepEqual(seen, ['POST /api/clinic/invites 403', 'GET /api/me 200', 'POST /api/clinic/invites 201']);
      assert.equal(await page.locator('[role="alert"]').filter({ hasText: /token|refused/i }).count(), 0, 'no error is shown');
    } finally {
      await browser.close();
    }
  });
});
