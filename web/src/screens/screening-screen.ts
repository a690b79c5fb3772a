// <rc-screening>: a short welcome, then the safety questions one at a time with big answer
// buttons ("Not sure" is an answer too), then the verdict with every reason, what to do and its
// source. Stop at once: after an answer that could raise a flag, the answers so far are judged by
// the server without being stored (POST .../evaluate); if they already settle an emergency or
// "today" tier, that verdict is stored at once, the questions end there and the advice (with a
// call link for an emergency) shows. Otherwise only the finished answers are stored.
// A stop tier ends here, with the clinician's-clearance form when a clinician can lift it;
// otherwise "Continue" fires `rc-verdict`.
// Also used for the next-day check-in (kind="checkin").
import { LitElement, html, nothing } from 'lit';
import { ApiError, getJson, postJson, type Question, type Verdict } from '../lib/api';
import { answerPayload, askedRange, firstUnanswered, isAsked, unknownAnswer, validateAnswer, type Answer, type Answers } from '../lib/answers';
import { mayFlag, settlingReasons } from '../lib/stop-at-once';
import { zoneLabel } from '../lib/zones';
import { markUnfinished } from '../lib/settings';
import type { Zone } from '../lib/api';
import { isStopTier, tierHeadline, words } from '../lib/format';
import '../components/clearance-form';

export class ScreeningScreen extends LitElement {
  static properties = {
    kind: { type: String },
    zones: { attribute: false },
    questions: { state: true },
    answers: { state: true },
    index: { state: true },
    verdict: { state: true },
    error: { state: true },
    problem: { state: true },
    numberDraft: { state: true },
    started: { state: true },
    checking: { state: true },
    stoppedEarly: { state: true },
    recentSession: { state: true },
  };

  declare kind: 'screening' | 'checkin';
  declare zones: Zone[];
  declare questions: Question[];
  declare answers: Answers;
  declare index: number;
  declare verdict: Verdict | null;
  declare error: string;
  declare problem: string;
  declare numberDraft: string;
  declare started: boolean;
  declare checking: boolean;
  declare stoppedEarly: boolean;
  /** Check-in: whether the journal has a session in the last three days (the server decides). */
  declare recentSession: boolean;

  constructor() {
    super();
    this.kind = 'screening';
    this.zones = [];
    this.questions = [];
    this.answers = {};
    this.index = 0;
    this.verdict = null;
    this.error = '';
    this.problem = '';
    this.numberDraft = '';
    this.started = false;
    this.checking = false;
    this.stoppedEarly = false;
    this.recentSession = true;
  }

  createRenderRoot() {
    return this;
  }

  connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private get endpoint() {
    return this.kind === 'checkin' ? '/api/checkin' : '/api/screening';
  }

  private async load() {
    try {
      // The check-in's hours since the last session come from the journal: the server leaves that
      // question out, and asks about the soreness itself when no session is recent.
      const body = await getJson<{ questions: Question[]; last_session?: { hours: number | null; recent: boolean } }>(this.endpoint);
      this.questions = body.questions;
      this.recentSession = body.last_session?.recent ?? true;
      this.index = 0;
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private async answer(value: Answer) {
    if (this.checking) return;
    const question = this.questions[this.index];
    const problem = validateAnswer(question, value);
    if (problem) {
      this.problem = problem;
      return;
    }
    this.problem = '';
    this.answers = { ...this.answers, [question.id]: value };
    this.numberDraft = '';
    const next = firstUnanswered(this.questions, this.answers);
    if (next < 0) return this.submit();
    // The check stores nothing, so every answer that could raise a flag is checked.
    if (mayFlag(question, value) && (await this.stopsAtOnce())) return;
    this.index = next;
    window.scrollTo(0, 0);
  }

  /**
   * Judges the answers so far without storing them; when they already settle an emergency or
   * "today" tier, stores them at once (so no older all-clear stays in force) and returns true.
   */
  private async stopsAtOnce(): Promise<boolean> {
    this.checking = true;
    try {
      const payload = { answers: answerPayload(this.questions, this.answers) };
      const judged = await postJson<Verdict>(`${this.endpoint}/evaluate`, payload);
      if (settlingReasons(judged).length === 0) return false;
      this.verdict = await postJson<Verdict>(this.endpoint, payload);
      this.stoppedEarly = true;
      markUnfinished(false);
      window.scrollTo(0, 0);
      return true;
    } catch (e) {
      // The server could not judge the answers so far: keep asking; the last answer submits them all.
      this.problem = e instanceof ApiError ? `Could not check this answer yet: ${e.message}` : String(e);
      return false;
    } finally {
      this.checking = false;
    }
  }

  private back() {
    // Back to the previous question that was asked (a moot one is skipped going back too).
    let previous = this.index - 1;
    while (previous > 0 && !isAsked(this.questions[previous], this.answers)) previous -= 1;
    if (previous >= 0) this.index = previous;
    this.problem = '';
    window.scrollTo(0, 0);
  }

  private async submit() {
    this.checking = true;
    try {
      this.verdict = await postJson<Verdict>(this.endpoint, { answers: answerPayload(this.questions, this.answers) });
      if (this.kind === 'screening') markUnfinished(false);
      window.scrollTo(0, 0);
    } catch (e) {
      this.error = e instanceof ApiError ? e.message : String(e);
    } finally {
      this.checking = false;
    }
  }

  private restart() {
    this.answers = {};
    this.verdict = null;
    this.stoppedEarly = false;
    this.index = 0;
    this.started = true;
    window.scrollTo(0, 0);
  }

  /**
   * Starting a screening replaces the verdict on record at once: the empty answers are stored,
   * which the server judges incomplete (a stop tier), so an abandoned screening never leaves an
   * older all-clear in force.
   */
  private async begin() {
    this.checking = true;
    try {
      await postJson<Verdict>(this.endpoint, { answers: {} });
      markUnfinished(true);
      this.started = true;
      window.scrollTo(0, 0);
    } catch (e) {
      this.problem = e instanceof ApiError ? e.message : String(e);
    } finally {
      this.checking = false;
    }
  }

  private renderWelcome() {
    return html`<section class="card welcome" aria-labelledby="welcome-title">
      <p class="eyebrow">A few safety questions first</p>
      <h1 id="welcome-title">Before you roll: a short safety check</h1>
      <p>rollcoach guides gentle foam rolling for an aching back. Rolling is safe for most people, but some back
        pain is a sign of something that needs a doctor, and some conditions make pressing on the body unwise.</p>
      <p><strong>About ${this.questions.length} yes-or-no questions, 3 to 5 minutes.</strong> Answer for how you are
        now. "Not sure" is a fine answer: rollcoach then plays it safe.</p>
      <p>If an answer means you should get help, we stop and tell you at once. Your answers stay on this
        computer, in your own journal.</p>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      <p class="hint">Starting replaces your earlier answers: until you finish, rollcoach will not plan a session.</p>
      <div class="row"><button type="button" class="primary big" ?disabled=${this.checking} @click=${this.begin}>Start the questions</button></div>
    </section>`;
  }

  render() {
    if (this.error) return html`<section class="card"><h1>Something went wrong</h1><p class="error" role="alert">${this.error}</p></section>`;
    if (this.verdict) return this.renderVerdict(this.verdict);
    if (this.questions.length === 0) return html`<section class="card"><p>Loading the questions…</p></section>`;
    if (!this.started && this.kind === 'screening') return this.renderWelcome();
    const question = this.questions[this.index];
    const { atLeast, atMost: total } = askedRange(this.questions, this.answers);
    const position = this.questions.slice(0, this.index + 1).filter((q) => isAsked(q, this.answers)).length;
    const count = atLeast === total ? `${position} of ${total}` : `${position} of up to ${total}`;
    const title =
      this.kind === 'screening' ? 'A few safety questions first' : this.recentSession ? 'How do you feel since your last session?' : 'How is your back feeling?';
    return html`
      <section class="card question" aria-labelledby="q-text">
        <p class="eyebrow">${title} · ${count}</p>
        <progress max=${total} value=${position - 1} aria-label="Questions answered"></progress>
        <h1 id="q-text">${question.text}</h1>
        ${question.help ? html`<p class="help">${question.help}</p>` : nothing}
        <div class="answers ${question.type === 'choice' ? 'choices' : ''}" aria-busy=${this.checking ? 'true' : 'false'}>${this.renderInput(question)}</div>
        ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
        <div class="row">
          <button type="button" class="ghost" ?disabled=${this.index === 0} @click=${this.back}>Back</button>
        </div>
      </section>
    `;
  }

  private renderInput(question: Question) {
    const current = this.answers[question.id];
    if (question.type === 'yes_no')
      return html`
        <button type="button" class="big ${current === 'yes' ? 'chosen' : ''}" @click=${() => this.answer('yes')}>Yes</button>
        <button type="button" class="big ${current === 'no' ? 'chosen' : ''}" @click=${() => this.answer('no')}>No</button>
        ${this.notSure(current)}
      `;
    if (question.type === 'choice')
      return html`${question.choices.map(
        (choice) =>
          html`<button type="button" class="big ${current === choice.id ? 'chosen' : ''}" @click=${() => this.answer(choice.id)}>${choice.label}</button>`,
      )}${this.notSure(current)}`;
    return html`
      <form class="number" @submit=${(e: Event) => {
        e.preventDefault();
        this.answer(this.numberDraft === '' ? '' : Number(this.numberDraft));
      }}>
        <label>
          <span class="visually-hidden">${question.text}</span>
          <input type="number" inputmode="numeric" min=${question.min ?? ''} max=${question.max ?? ''}
            .value=${this.numberDraft} @input=${(e: Event) => (this.numberDraft = (e.target as HTMLInputElement).value)} />
          ${question.unit ? html`<span class="unit">${question.unit}</span>` : nothing}
        </label>
        <button class="primary big">Next</button>
      </form>
      ${this.notSure(current)}
    `;
  }

  private notSure(current: Answer | undefined) {
    return html`<button type="button" class="big not-sure ${current === unknownAnswer ? 'chosen' : ''}" @click=${() => this.answer(unknownAnswer)}>Not sure</button>`;
  }

  private renderVerdict(verdict: Verdict) {
    const stop = isStopTier(verdict.tier);
    const changes = verdict.changes;
    return html`
      <section class="card verdict tier-${verdict.tier}" aria-labelledby="verdict-title">
        <h1 id="verdict-title">${tierHeadline(verdict.tier)}</h1>
        ${this.stoppedEarly
          ? html`<p class="stop-note">We stopped the questions here: this answer alone is enough to say what to do.</p>`
          : nothing}
        ${verdict.tier === 'emergency' ? html`<rc-call></rc-call>` : nothing}
        ${verdict.missing_answers.length && !this.stoppedEarly
          ? html`<p class="warn">Some answers are missing, so we cannot say it is safe: ${verdict.missing_answers.map(words).join(', ')}.</p>`
          : nothing}
        <ul class="reasons">
          ${verdict.reasons.map(
            (reason) => html`<li>
              <p><strong>${reason.message}</strong></p>
              <p>${reason.what_to_do}</p>
              <rc-why for=${reason.rule_id} label="Why, and the source"></rc-why>
            </li>`,
          )}
        </ul>
        ${!stop && (changes.soft_roller_only || changes.gentle_pressure_only || changes.excluded_zones.length || changes.max_session_seconds)
          ? html`<div class="changes"><h2>Today's plan will</h2><ul>
              ${changes.soft_roller_only ? html`<li>use a soft roller only</li>` : nothing}
              ${changes.gentle_pressure_only ? html`<li>use gentle pressure only</li>` : nothing}
              ${changes.excluded_zones.map((zone) => html`<li>leave out: ${zoneLabel(zone, this.zones).toLowerCase()}</li>`)}
              ${changes.max_session_seconds ? html`<li>stay under ${Math.round(changes.max_session_seconds / 60)} minutes</li>` : nothing}
            </ul></div>`
          : nothing}
        ${stop
          ? html`<p class="stop-note">rollcoach will not guide a session for now. ${verdict.tier === 'emergency'
              ? 'Get help first.'
              : 'Once a clinician has checked you and said rolling is fine, record it below: rollcoach then plans within their limits.'}</p>
              ${verdict.tier === 'emergency' || (verdict.missing_answers.length && !verdict.reasons.some((r) => isStopTier(r.tier)))
                ? nothing
                : html`<rc-clearance-form .zones=${this.zones}></rc-clearance-form>`}
              <div class="row"><button type="button" class="ghost" @click=${this.restart}>Answer again</button></div>`
          : html`<div class="row"><button type="button" class="primary big" @click=${() =>
              this.dispatchEvent(new CustomEvent('rc-verdict', { detail: verdict, bubbles: true }))}>Continue</button></div>`}
      </section>
    `;
  }
}

customElements.define('rc-screening', ScreeningScreen);
