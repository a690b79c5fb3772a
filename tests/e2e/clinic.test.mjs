// Clinic mode in the browser (docs/clinic.md, "The therapist's view"), against a real PostgreSQL
// and `rollcoach serve --clinic`: the login (a wrong password and an unknown email read the same;
// too many tries say when to try again), a therapist inviting a patient, the patient setting a
// password from the one-time link and answering the screening with a red flag, the therapist
// seeing them marked first, setting plan limits (every choice readable whole at 390 px) and
// recording a clearance, the report and the
// FHIR export downloading, the audit log listing those changes, and the patient's plan keeping
// to the limits and saying who set them.
// At 390x844 and at laptop size; axe on every clinic screen. The steps build on each other.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launchBrowser, laptop, phone, rollcoachBinary, seriousViolations, shoot, startQuestions } from './harness.mjs';
import { addTherapist, startClinicServer, startPostgres } from './clinic-harness.mjs';

const therapist = { email: 'alex@clinic.example', name: 'Alex Moreau', password: 'a long therapist password' };
const patient = { email: 'sam@example.org', name: 'Sam Carter', password: 'sams own password' };

let postgres;
let server;
let inviteLink = '';

async function logIn(page, url, who) {
  await page.goto(`${url}#/login`);
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/**
 * Answers the screening: "Yes" where the question matches `yes`, 40 for numbers, "No" otherwise.
 * After each answer it waits for the next question (or the verdict) to be on screen, so a slow
 * machine never has it read one question and answer the next.
 */
async function answerWith(page, yes) {
  await startQuestions(page);
  for (let i = 0; i < 80; i++) {
    await page.locator('.question h1, .verdict').first().waitFor();
    if (await page.locator('.verdict').count()) return;
    const asked = await page.locator('.question h1').textContent();
    const number = page.locator('.number input');
    if (await number.count()) {
      await number.fill('40');
      await page.getByRole('button', { name: 'Next' }).click();
    } else {
      const choices = page.locator('.answers button');
      const label = yes.test(asked) ? 'Yes' : 'No';
      const button = page.getByRole('button', { name: label, exact: true });
      if (await button.count()) await button.click();
      else await choices.first().click();
    }
    await page.waitForFunction(
      (before) => document.querySelector('.verdict') || document.querySelector('.question h1')?.textContent !== before,
      asked,
      { timeout: 30_000 },
    );
  }
  throw new Error('the screening never reached a verdict');
}

/** The /api/ paths in the page's CacheStorage (what public/sw.js kept for offline use). */
async function cachedApiPaths(page) {
  return page.evaluate(async () => {
    const paths = [];
    for (const name of await caches.keys())
      for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
    return paths.filter((p) => p.startsWith('/api/'));
  });
}

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * Until the server side of clinic mode (branch clinic-server) is merged, the binary has no
 * `serve --clinic`: then this suite is reported as skipped, with that reason, rather than failed.
 */
function missingClinicMode() {
  const help = execFileSync(rollcoachBinary(), ['serve', '--help'], { encoding: 'utf8' });
  return help.includes('--clinic') ? false : 'this rollcoach binary has no `serve --clinic` (the clinic server is not merged yet)';
}

describe('clinic mode in the browser', { timeout: 300_000, skip: missingClinicMode() }, () => {
  before(async () => {
    postgres = await startPostgres();
    addTherapist(postgres.uri, therapist);
    server = await startClinicServer(postgres.uri);
  });

  after(async () => {
    await server?.stop();
    postgres?.stop();
  });

  it('shows only the login, and a wrong password reads exactly like an unknown email', async () => {
    const browser = await launchBrowser(phone);
    try {
      const { page } = browser;
      await page.goto(`${server.url}#/plan`);
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      assert.match(page.url(), /#\/login$/, 'a patient page sends an anonymous visitor to the login');
      assert.equal(await page.locator('nav').count(), 0, 'no menu before logging in');
      assert.deepEqual(await seriousViolations(page), []);
      await shoot(page, 'clinic-phone-login');

      const messageFor = async (email, password) => {
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password').fill(password);
        await page.getByRole('button', { name: 'Log in' }).click();
        const alert = page.locator('rc-login [role="alert"]');
        await alert.waitFor();
        const text = (await alert.textContent()).trim();
        assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password field is emptied');
        return text;
      };
      const wrongPassword = await messageFor(therapist.email, 'not the password');
      const unknownEmail = await messageFor('nobody@example.org', 'not the password');
      assert.equal(wrongPassword, 'That email and password do not match an account.');
      assert.equal(unknownEmail, wrongPassword, 'an unknown email and a wrong password read the same');
      await shoot(page, 'clinic-phone-login-failed');

      // Five failures for one email: the sixth try is refused, with when to try again.
      let last = '';
      for (let i = 0; i < 6; i++) last = await messageFor('locked@example.org', `guess ${i}`);
      assert.match(last, /^Too many attempts\. Try again in \d+ (minute|second)s?\.$/);
      await shoot(page, 'clinic-phone-login-rate-limited');
    } finally {
      await browser.close();
    }
  });

  it('lets the therapist invite a patient and shows the one-time link once', async () => {
    const browser = await launchBrowser(phone);
    try {
      const { page } = browser;
      await logIn(page, server.url, therapist);
      await page.getByRole('heading', { name: 'Your patients' }).waitFor();
      await page.getByText('No patients yet').waitFor();
      await page.getByLabel('Name').fill(patient.name);
      await page.getByLabel('Email').fill(patient.email);
      await page.getByRole('button', { name: 'Create the invite link' }).click();
      const link = page.getByLabel('One-time link');
      await link.waitFor();
      inviteLink = await link.inputValue();
      assert.match(inviteLink, new RegExp(`^${server.url.replace(/[/.]/g, '\\$&')}#/invite/[A-Za-z0-9_-]{16,}$`));
      assert.deepEqual(await seriousViolations(page), []);
      await shoot(page, 'clinic-phone-invited');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the list fits 390 px across (overflow ${overflow} px)`);

      // The service worker keeps API answers for offline use: once it runs, the patient list is
      // in its cache, and logging out must take it away (a clinic's computer is shared).
      await page.evaluate(() => navigator.serviceWorker.ready);
      await page.reload();
      await page.getByRole('heading', { name: 'Your patients' }).waitFor();
      let cached = [];
      for (let i = 0; i < 50 && !cached.includes('/api/clinic/patients'); i++) {
        await page.waitForTimeout(100);
        cached = await cachedApiPaths(page);
      }
      assert.ok(cached.includes('/api/clinic/patients'), `the service worker cached the list (${cached.join(', ')})`);

      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      assert.deepEqual(await cachedApiPaths(page), [], 'no API answer is left in the offline cache after logging out');
      const me = await page.evaluate(async () => (await fetch('/api/me')).status);
      assert.equal(me, 401, 'logged out on the server, not only on the page');
    } finally {
      await browser.close();
    }
  });

  it('lets the patient set a password from the link, which then no longer works', async () => {
    assert.ok(inviteLink, 'the invite test made a link');
    const browser = await launchBrowser(phone);
    try {
      const { page } = browser;
      await page.goto(`${server.url}#/invite/not-a-real-token-at-all`);
      await page.getByText('This invite link does not work').waitFor();

      await page.goto(inviteLink);
      await page.getByRole('heading', { name: `Welcome, ${patient.name}` }).waitFor();
      await page.getByText(patient.email).first().waitFor();
      assert.deepEqual(await seriousViolations(page), []);
      await shoot(page, 'clinic-phone-invite');
      await page.getByLabel(/New password/).fill('short');
      await page.getByLabel('The same password again').fill('short');
      await page.getByRole('button', { name: 'Set my password' }).click();
      await page.getByText('at least 10 characters', { exact: false }).last().waitFor();
      await page.getByLabel(/New password/).fill(patient.password);
      await page.getByLabel('The same password again').fill(patient.password);
      await page.getByRole('button', { name: 'Set my password' }).click();

      // Logged in as the patient: their own flow, starting with the safety questions.
      await answerWith(page, /cancer/i);
      await page.locator('.verdict').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Continue' }).count(), 0, 'a red flag stops the flow');
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();

      await page.goto(inviteLink);
      await page.getByText('This invite link has already been used').waitFor();
      await shoot(page, 'clinic-phone-invite-used');
    } finally {
      await browser.close();
    }
  });

  for (const [size, viewport] of [
    ['laptop', laptop],
    ['phone', phone],
  ]) {
    it(`shows the therapist the flagged patient, with charts, limits and a clearance (${size})`, async () => {
      const browser = await launchBrowser(viewport);
      try {
        const { page } = browser;
        await logIn(page, server.url, therapist);
        const row = page.locator('.patient', { hasText: patient.name });
        await row.waitFor();
        if (size === 'laptop') {
          assert.match(await row.getAttribute('class'), /flagged/);
          assert.match(await row.textContent(), /Red flag in the screening/);
          assert.match(await page.locator('.flag-count').textContent(), /1 with warning signs/);
        } else {
          // The laptop run recorded a clearance for the flag: listed as cleared, no longer a warning.
          assert.doesNotMatch(await row.getAttribute('class'), /flagged/);
          assert.match(await row.textContent(), new RegExp(`Red flag in the screening: cleared by ${therapist.name} on`));
        }
        assert.deepEqual(await seriousViolations(page), []);
        await shoot(page, `clinic-${size}-patients`);

        await row.getByRole('link').click();
        await page.getByRole('heading', { name: patient.name }).waitFor();
        assert.match(page.url(), /#\/clinic\/[^/]+$/);
        if (size === 'laptop') await page.getByRole('heading', { name: /Warning signs \(\d+\)/ }).waitFor();
        await page.getByRole('heading', { name: /Screenings \(\d+\)/ }).waitFor();

        if (size === 'laptop') {
          // Limits: at most 4 minutes, no buttocks; saved, signed, and still there after a reload.
          await page.getByLabel(/Longest session/).fill('4');
          await page.getByLabel('Buttocks', { exact: true }).first().check();
          await page.getByLabel('Gentle only').check();
          await page.getByRole('button', { name: 'Save the limits' }).click();
          await page.getByText(`Set by ${therapist.name} on`).waitFor();
          await page.reload();
          await page.getByText(`Set by ${therapist.name} on`).waitFor();
          assert.equal(await page.getByLabel(/Longest session/).inputValue(), '4');
          assert.ok(await page.getByLabel('Gentle only').isChecked(), 'the pressure limit is kept');

          // A clearance for the flagged answer, through the patient's own clearance form.
          // The form is open on the detail page (it is the clinician's own task there).
          await page.locator('details.clearance-form[open]').waitFor();
          assert.ok(await page.getByLabel(/cancer/i).isChecked(), 'the flagged answer is listed and ticked');
          assert.equal(await page.getByLabel('Cleared by').inputValue(), therapist.name);
          await page.getByLabel('Date of the assessment').fill(today());
          await page.getByRole('button', { name: 'Record the clearance' }).click();
          await page.getByText("Recorded. The patient's plan keeps to these limits").waitFor();
          await page.locator('.clearance.in_force', { hasText: therapist.name }).waitFor();

          // The report and the FHIR export are the patient's, fetched with the therapist's cookie.
          const report = await page.evaluate(async (href) => {
            const r = await fetch(href);
            const bytes = new Uint8Array(await r.arrayBuffer());
            return { status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...bytes.slice(0, 5)) };
          }, await page.getByRole('link', { name: 'Report (PDF)' }).getAttribute('href'));
          assert.deepEqual(report, { status: 200, type: 'application/pdf', head: '%PDF-' });
          const fhir = await page.evaluate(async (href) => {
            const r = await fetch(href);
            return { status: r.status, body: await r.json() };
          }, await page.getByRole('link', { name: 'FHIR export' }).getAttribute('href'));
          assert.equal(fhir.status, 200);
          assert.equal(fhir.body.resourceType, 'Bundle');

          // The audit log shows this therapist's reads and changes of the record.
          await page.getByText('Show the audit log').click();
          await page.locator('#audit-title + details li', { hasText: 'changed the plan limits' }).first().waitFor();
          await page.locator('#audit-title + details li', { hasText: 'recorded a clearance' }).first().waitFor();
        }
        assert.deepEqual(await seriousViolations(page), []);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the detail fits across (overflow ${overflow} px)`);
        // Every choice of the limits form reads whole: no drop-down option wider than its box (the
        // Pressure drop-down showed "As usual: moderate at m" at 390 px), every label inside the card.
        await page.locator('rc-limits-editor').waitFor();
        const cut = await page.evaluate(() => {
          const found = [];
          const measure = document.createElement('canvas').getContext('2d');
          for (const select of document.querySelectorAll('rc-limits-editor select')) {
            const style = getComputedStyle(select);
            measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 24; // the arrow
            for (const option of select.options) if (measure.measureText(option.text).width > room) found.push(`${select.name}: ${option.text}`);
          }
          for (const label of document.querySelectorAll('rc-limits-editor label')) {
            const box = label.getBoundingClientRect();
            const card = label.closest('.card').getBoundingClientRect();
            if (box.left < card.left - 0.5 || box.right > card.right + 0.5 || label.scrollWidth > label.clientWidth + 1) found.push(label.textContent.trim());
          }
          return found;
        });
        assert.deepEqual(cut, [], 'every limit choice shows its whole words');
        await shoot(page, `clinic-${size}-patient`);
        assert.deepEqual(browser.consoleErrors.filter((e) => !/status of 4\d\d/.test(e)), []);
      } finally {
        await browser.close();
      }
    });
  }

  it("keeps the patient's plan to the therapist's limits and says who set them", async () => {
    const browser = await launchBrowser(phone);
    try {
      const { page } = browser;
      await logIn(page, server.url, patient);
      // Cleared now: on to the roller chooser, then today's plan.
      await page.getByRole('button', { name: "Show today's plan" }).click();
      await page.getByRole('heading', { name: /Today's plan/ }).waitFor();
      const box = page.locator('.therapist-set');
      await box.waitFor();
      assert.equal((await box.locator('h2').textContent()).trim(), 'Your therapist set limits for you');
      assert.match(await box.textContent(), /your therapist set this/i);
      // The zone by its plain name, as everywhere a patient reads it; the anatomy is for "Why?".
      assert.match(await box.textContent(), /Leave out Buttocks/);
      assert.doesNotMatch(await box.textContent(), /glute|piriformis/i, 'no anatomical names in the patient\'s limits');
      assert.doesNotMatch(await page.locator('.steps').textContent(), /Buttock/i, 'the left-out zone has no step');
      await shoot(page, 'clinic-phone-patient-plan');
      assert.deepEqual(await seriousViolations(page), []);

      // A long account name at 360 px shortens instead of pushing "Log out" to a row of its own.
      await page.setViewportSize({ width: 360, height: 640 });
      await page.locator('.top .who').evaluate((who) => {
        who.textContent = 'Maximiliane Oppenheimer-Vasconcelos';
      });
      const tops = await page.evaluate(() =>
        ['.top .brand', '.top .who', '.top .nav-button'].map((selector) => document.querySelector(selector).getBoundingClientRect()),
      );
      const middle = (r) => (r.top + r.bottom) / 2;
      assert.ok(tops.every((r) => Math.abs(middle(r) - middle(tops[2])) < 4), `brand, name and Log out share a row: ${JSON.stringify(tops)}`);
      assert.ok(tops[2].right <= 360, 'Log out stays on screen');
      assert.ok(tops[2].height >= 44, 'Log out stays a 44 px target');
      await shoot(page, 'clinic-360-long-name');

      // The therapist's pages are not for patients: the page sends them home, the server refuses.
      await page.goto(`${server.url}#/clinic`);
      await page.waitForTimeout(300);
      assert.equal(await page.getByRole('heading', { name: 'Your patients' }).count(), 0);
      assert.doesNotMatch(page.url(), /#\/clinic/);
      const status = await page.evaluate(async () => (await fetch('/api/clinic/patients')).status);
      assert.equal(status, 403);
      // A change without the CSRF header is refused (the page's own requests all carried it).
      const forged = await page.evaluate(async () => {
        const r = await fetch('/api/checkin', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
        return { status: r.status, body: await r.json() };
      });
      assert.equal(forged.status, 403);
      assert.equal(forged.body.error.code, 'csrf');
    } finally {
      await browser.close();
    }
  });

  it('shows the therapist a session the patient stopped for numbness down one leg, until their clearance lets the patient roll again', async () => {
    const patientBrowser = await launchBrowser(phone);
    const therapistBrowser = await launchBrowser(laptop);
    try {
      // The patient starts a session and stops it with the numbness button.
      const p = patientBrowser.page;
      await logIn(p, server.url, patient);
      await p.getByRole('button', { name: 'Log out' }).waitFor();
      // The roller was chosen in the test before: the plan opens straight away.
      await p.goto(`${server.url}#/plan`);
      await p.getByRole('heading', { name: /Today's plan/ }).waitFor();
      await p.locator('.pain-scale button', { hasText: /^3$/ }).click();
      await p.getByRole('button', { name: 'Start the session' }).click();
      await p.locator('rc-ring').waitFor();
      await p.locator('.stop-button').click();
      await p.getByRole('heading', { name: 'Session stopped' }).waitFor();
      await p.locator('.pain-scale button', { hasText: /^4$/ }).click();
      await p.getByRole('button', { name: 'Save and see the summary' }).click();
      await p.getByRole('heading', { name: /Session stopped for your safety|Session summary/ }).waitFor();

      // The therapist's list names the sign and puts the patient first, as the patient's plan is refused.
      const t = therapistBrowser.page;
      await logIn(t, server.url, therapist);
      const row = t.locator('.patient', { hasText: patient.name });
      await row.waitFor();
      assert.match(await row.getAttribute('class'), /flagged/);
      assert.match(await row.textContent(), /Session stopped for a warning sign · .*: Numbness or tingling down one leg/);
      assert.doesNotMatch(await row.textContent(), /Emergency stop/, 'numbness down one leg is not called an emergency');
      await shoot(t, 'clinic-laptop-patients-session-stop');
      await t.setViewportSize(phone);
      await shoot(t, 'clinic-phone-patients-session-stop');
      await t.setViewportSize(laptop);
      await p.goto(`${server.url}#/plan`);
      await p.getByRole('heading', { name: 'No plan today' }).waitFor();

      // The clearance, from the patient's detail: the stop is listed and ticked.
      await row.getByRole('link').click();
      await t.getByRole('heading', { name: patient.name }).waitFor();
      await t.locator('details.clearance-form[open]').waitFor();
      assert.ok(await t.getByLabel(/Numbness or tingling down one leg/).isChecked(), 'the stop is listed and ticked');
      await t.getByLabel('Date of the assessment').fill(today());
      await t.getByRole('button', { name: 'Record the clearance' }).click();
      await t.getByText("Recorded. The patient's plan keeps to these limits").waitFor();
      await t.goto(`${server.url}#/clinic`);
      await row.waitFor();
      assert.doesNotMatch(await row.getAttribute('class'), /flagged/);
      assert.match(await row.textContent(), new RegExp(`Session stopped for a warning sign: cleared by ${therapist.name} on`));
      assert.deepEqual(await seriousViolations(t), []);
      // The detail at phone size: the lifted stop says who cleared it.
      await t.setViewportSize(phone);
      await row.getByRole('link').click();
      await t.getByRole('heading', { name: patient.name }).waitFor();
      assert.match(await t.locator('main').textContent(), new RegExp(`cleared by ${therapist.name} on`));
      await shoot(t, 'clinic-phone-patient-session-stop-cleared');

      // And the patient, opening the app again, may roll again.
      await p.goto(`${server.url}#/plan`);
      await p.reload();
      await p.getByRole('button', { name: 'Start the session' }).waitFor();
    } finally {
      await patientBrowser.close();
      await therapistBrowser.close();
    }
  });
});
