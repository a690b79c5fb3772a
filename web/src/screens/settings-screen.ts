// <rc-settings>: the emergency number for the person's country, the voice (mute, volume), and
// reminders: an .ics file for the phone's calendar (works with the app closed) and, while the
// app is open, a browser notification at the chosen time. Also a clinician's clearance: the ones
// on record and the form to add one for the flagged answers.
import { LitElement, html, nothing } from 'lit';
import { emergencyNumbers, loadSettings, saveSettings, weekdays, type Settings, type Weekday } from '../lib/settings';
import { ReminderTimer } from '../lib/notify';
import '../components/clearance-form';
import { loadCameraSettings, saveCameraSettings, validHeight, type CameraSettings } from '../camera/camera-settings';

export class SettingsScreen extends LitElement {
  static properties = { settings: { state: true }, notice: { state: true }, permission: { state: true }, camera: { state: true }, heightProblem: { state: true } };
  declare camera: CameraSettings;
  declare heightProblem: string;
  declare settings: Settings;
  declare notice: string;
  declare permission: string;

  constructor() {
    super();
    this.settings = loadSettings();
    this.camera = loadCameraSettings();
    this.notice = '';
    this.heightProblem = '';
    this.permission = typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
  }

  createRenderRoot() {
    return this;
  }

  private update_(patch: Partial<Settings>) {
    this.settings = { ...this.settings, ...patch };
    saveSettings(this.settings);
    ReminderTimer.shared.schedule(this.settings);
  }

  /** The height box: empty clears it, a height in range is kept, anything else is refused and said so. */
  private setHeight(text: string) {
    if (text.trim() === '') {
      this.heightProblem = '';
      this.setCamera({ heightCm: null });
      return;
    }
    const cm = validHeight(text);
    if (cm === null) {
      this.heightProblem = 'Enter your height in centimetres, from 100 to 250 (for 5 ft 8 in, 173). It was not saved.';
      return;
    }
    this.heightProblem = '';
    this.setCamera({ heightCm: cm });
  }

  private setCamera(patch: Partial<CameraSettings>) {
    this.camera = { ...this.camera, ...patch };
    saveCameraSettings(this.camera);
  }

  private toggleDay(day: Weekday) {
    const days = this.settings.reminderDays.includes(day)
      ? this.settings.reminderDays.filter((d) => d !== day)
      : [...this.settings.reminderDays, day];
    this.update_({ reminderDays: weekdays.map((w) => w.id).filter((d) => days.includes(d)) });
  }

  private async download() {
    // Loaded on demand: the iCalendar writer is only needed for this one button.
    const { reminderIcs } = await import('../lib/ics');
    const text = reminderIcs({ time: this.settings.reminderTime, days: this.settings.reminderDays, start: new Date() });
    const url = URL.createObjectURL(new Blob([text], { type: 'text/calendar' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'rollcoach-reminder.ics';
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.notice = 'Downloaded rollcoach-reminder.ics: open it to add the reminder to your calendar.';
  }

  private async allowNotifications() {
    if (typeof Notification === 'undefined') return;
    this.permission = await Notification.requestPermission();
    ReminderTimer.shared.schedule(this.settings);
    this.notice = this.permission === 'granted'
      ? `While rollcoach is open, it will remind you at ${this.settings.reminderTime}.`
      : 'Notifications are blocked for this site; the calendar file still works.';
  }

  render() {
    const s = this.settings;
    return html`
      <section class="card" aria-labelledby="settings-title">
        <h1 id="settings-title">Settings</h1>
        <fieldset>
          <legend>Emergency number</legend>
          <p class="hint">Shown with every piece of emergency advice, as a link that calls it.</p>
          <div class="choices">
            ${emergencyNumbers.map((e) => html`<label class="pill"><input type="radio" name="emergency" .checked=${s.emergency === e.id}
              @change=${() => this.update_({ emergency: e.id })} />${e.number} · ${e.country}</label>`)}
          </div>
        </fieldset>
        <fieldset>
          <legend>Voice</legend>
          <label class="pill"><input type="checkbox" .checked=${s.muted} @change=${(e: Event) => this.update_({ muted: (e.target as HTMLInputElement).checked })} />Mute the spoken cues</label>
          <label class="volume">Volume
            <input type="range" min="0" max="1" step="0.1" .value=${String(s.volume)}
              @change=${(e: Event) => this.update_({ volume: Number((e.target as HTMLInputElement).value) })} /></label>
        </fieldset>
      </section>
      ${this.renderCamera()}
      <section class="card" aria-labelledby="reminder-title">
        <h2 id="reminder-title">Reminders</h2>
        <label class="time-field">Time
          <input type="time" .value=${s.reminderTime} @change=${(e: Event) => {
            const value = (e.target as HTMLInputElement).value;
            if (/^\d\d:\d\d$/.test(value)) this.update_({ reminderTime: value });
          }} /></label>
        <fieldset>
          <legend>Days (none chosen: every day)</legend>
          <div class="choices">
            ${weekdays.map((d) => html`<label class="pill"><input type="checkbox" .checked=${s.reminderDays.includes(d.id)}
              @change=${() => this.toggleDay(d.id)} />${d.label}</label>`)}
          </div>
        </fieldset>
        <div class="row">
          <button type="button" class="primary" @click=${this.download}>Add to my calendar (.ics)</button>
          ${this.permission === 'unsupported'
            ? nothing
            : html`<button type="button" ?disabled=${this.permission === 'granted'} @click=${this.allowNotifications}>
                ${this.permission === 'granted' ? 'Notifications on while the app is open' : 'Also notify me while the app is open'}</button>`}
        </div>
        <p class="hint">The calendar file works with rollcoach closed: your calendar app sounds the alarm.</p>
        ${this.notice ? html`<p role="status">${this.notice}</p>` : nothing}
      </section>
      <section class="card" aria-labelledby="clearance-title">
        <h2 id="clearance-title">Your clinician's clearance</h2>
        <p class="hint">If a flagged answer stops rollcoach from planning, a clinician can assess it and say rolling is fine,
          perhaps with limits. Record that here; rollcoach then plans within those limits.</p>
        <rc-clearance-form list></rc-clearance-form>
      </section>
    `;
  }

  /** The camera section: off by default, with plain words on what it sees and what it cannot. */
  private renderCamera() {
    const c = this.camera;
    const set = (patch: Partial<CameraSettings>) => this.setCamera(patch);
    return html`<section class="card camera-settings" aria-labelledby="camera-title">
      <h2 id="camera-title">Camera coaching (optional)</h2>
      <label class="pill"><input type="checkbox" name="camera" .checked=${c.enabled} @change=${(e: Event) => set({ enabled: (e.target as HTMLInputElement).checked })} />
        Watch me with the camera during sessions</label>
      <p class="hint">A pose model in this browser finds 33 points on your body (shoulders, hips, knees…) in each camera picture.
        Only those points go to rollcoach; the pictures never leave this device and are never saved.</p>
      <p class="hint">From how your body moves it <strong>estimates</strong> where the roller is on your back and warns you before it
        reaches your lower back or neck, or when you roll too fast. The points alone do not show the roller: when it rolls normally the
        estimate is off by about 2 cm (median), but if it slips, or the phone is moved, every later estimate shifts, unless "Find the
        roller in the picture" (below, with the camera on) spots it. It is a help, not a guarantee: stop if something hurts, whatever it says.</p>
      ${c.enabled ? html`<fieldset>
        <legend>Pose model</legend>
        <div class="choices">
          <label class="pill"><input type="radio" name="pose-model" .checked=${c.model === 'lite'} @change=${() => set({ model: 'lite' })} />Lite (faster)</label>
          <label class="pill"><input type="radio" name="pose-model" .checked=${c.model === 'full'} @change=${() => set({ model: 'full' })} />Full (steadier, slower)</label>
        </div>
      </fieldset>
      <label class="field camera-height">Your height in cm (optional)
        <input type="number" name="height" inputmode="numeric" min="100" max="250" placeholder="e.g. 172" .value=${c.heightCm === null ? '' : String(c.heightCm)}
          aria-describedby="camera-height-hint" @change=${(e: Event) => this.setHeight((e.target as HTMLInputElement).value)} /></label>
      ${this.heightProblem ? html`<p class="error" role="alert">${this.heightProblem}</p>` : nothing}
      <p class="hint" id="camera-height-hint">The camera turns what it sees into centimetres with your height. Without it, it assumes
        170 cm, and checks that measure a few centimetres, such as your hips sinking to the floor, can miss. It stays in this browser
        and goes to rollcoach only with the camera on.</p>
      <label class="pill"><input type="checkbox" name="skeleton" .checked=${c.skeleton} @change=${(e: Event) => set({ skeleton: (e.target as HTMLInputElement).checked })} />
        Draw the points over the picture</label>
      <label class="pill"><input type="checkbox" name="save-landmarks" .checked=${c.saveLandmarks} @change=${(e: Event) => set({ saveLandmarks: (e.target as HTMLInputElement).checked })} />
        Save my landmarks for my therapist</label>
      <p class="hint">With this on, the end of each session offers a file of the points (no pictures) that a therapist can read with
        <code>rollcoach analyze</code>. Nothing is kept unless you download it.</p>
      <label class="pill"><input type="checkbox" name="find-roller" .checked=${c.findRoller} @change=${(e: Event) => set({ findRoller: (e.target as HTMLInputElement).checked })} />
        Find the roller in the picture</label>
      <p class="hint">Up to about seven camera pictures a second (every picture for the second or two you lie still at the start) are also shrunk to a
        small copy in this browser's memory and searched for the round end of the roller under your back. Only where it seems to be, and how sure the search is, goes to rollcoach with the points; the
        copy is overwritten by the next one and never leaves this device. On test footage this let rollcoach notice a roller sliding
        toward your lower back, which the points alone mostly miss, and it gave the odd needless "lower back" warning. It only ever adds
        a warning, never takes one away. It was made on rendered pictures, not real rooms: a roller the colour of the floor, clutter or
        poor light can fool it. Turn it off to save battery.</p>` : nothing}
    </section>`;
  }
}

customElements.define('rc-settings', SettingsScreen);
