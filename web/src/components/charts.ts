// The journal's charts (uPlot), shared by the person's history and the therapist's patient
// detail so both draw the same way:
//   <rc-pain-chart .sessions=${stats.pain.sessions} .total=${stats.total_sessions}>: pain before and after
//     the latest sessions, numbered as in the whole journal, the
//     last values printed under it and every rating in a table (the chart is described, not only drawn);
//   <rc-weekly-chart .weeks=${stats.weekly.weeks} .goal=${stats.weekly.goal}>: sessions per week as bars.
import { LitElement, html, nothing } from 'lit';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { longDate } from '../lib/calendar';
import { latestSessionNumbers } from '../lib/format';
import type { StatsDoc } from '../screens/history-screen';

type PainSession = StatsDoc['pain']['sessions'][number];
type Week = StatsDoc['weekly']['weeks'][number];

/** The theme's colours, read from the page's custom properties so both themes draw legibly. */
function chartColours(el: Element) {
  const styles = getComputedStyle(el);
  const get = (name: string, fallback: string) => styles.getPropertyValue(name).trim() || fallback;
  return {
    ink: get('--text', '#e8eef2'),
    grid: get('--track', '#2a3440'),
    before: get('--caution', '#ffb347'),
    after: get('--target', '#3ddc97'),
    bar: get('--focus', '#7fdbff'),
  };
}

/** Counts, not measures: whole-number ticks only. */
const countIncrs = [1, 2, 5, 10, 20, 50, 100, 200, 500];

/** A uPlot chart owned by a light-DOM element: redrawn when its data changes, destroyed with it. */
abstract class ChartElement extends LitElement {
  private chart: uPlot | null = null;
  private drawnFor: unknown = null;

  createRenderRoot() {
    return this;
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.chart?.destroy();
    this.chart = null;
    this.drawnFor = null;
  }

  protected abstract data(): unknown;
  protected abstract hostSelector(): string;
  protected abstract options(width: number, colours: ReturnType<typeof chartColours>): { opts: uPlot.Options; data: uPlot.AlignedData } | null;

  updated() {
    const host = this.querySelector<HTMLElement>(this.hostSelector());
    if (!host || (this.chart && this.drawnFor === this.data())) return;
    const built = this.options(Math.max(280, host.clientWidth || 320), chartColours(this));
    this.chart?.destroy();
    this.chart = null;
    if (!built) return;
    this.drawnFor = this.data();
    this.chart = new uPlot(built.opts, built.data, host);
  }
}

export class PainChart extends ChartElement {
  static properties = { sessions: { attribute: false }, total: { type: Number } };
  declare sessions: PainSession[];
  /** How many sessions the journal holds (the stats' total_sessions); `sessions` are the latest. */
  declare total: number;

  constructor() {
    super();
    this.sessions = [];
    this.total = 0;
  }

  protected data() {
    return this.sessions;
  }

  protected hostSelector() {
    return '.pain-chart';
  }

  protected options(width: number, c: ReturnType<typeof chartColours>) {
    const sessions = this.sessions;
    if (!sessions.length) return null;
    const xs = latestSessionNumbers(sessions.length, this.total);
    return {
      opts: {
        width,
        height: 220,
        // Half a session of margin so the first and last points are not drawn on the frame.
        scales: { x: { time: false, range: [xs[0] - 0.5, xs[xs.length - 1] + 0.5] as uPlot.Range.MinMax }, y: { range: [0, 10] as uPlot.Range.MinMax } },
        axes: [
          { stroke: c.ink, grid: { stroke: c.grid }, label: 'Session', incrs: countIncrs },
          { stroke: c.ink, grid: { stroke: c.grid }, label: 'Pain 0-10' },
        ],
        // uPlot's own legend shows values only under the pointer ("--" otherwise): the element
        // prints the values itself, under the chart.
        legend: { show: false },
        series: [
          { label: 'Session' },
          { label: 'Before', stroke: c.before, width: 3, points: { size: 8 } },
          { label: 'After', stroke: c.after, width: 3, points: { size: 8 } },
        ],
      },
      data: [xs, sessions.map((s) => s.before), sessions.map((s) => s.after)] as uPlot.AlignedData,
    };
  }

  render() {
    const sessions = this.sessions;
    if (!sessions.length) return html`<p>No sessions yet.</p>`;
    const last = sessions[sessions.length - 1];
    const numbers = latestSessionNumbers(sessions.length, this.total);
    const value = (n: number | null) => (n === null ? 'not rated' : `${n}`);
    return html`<div class="pain-chart" role="img" aria-label="Chart of pain before and after each session, described below"></div>
      <p class="chart-legend">
        <span><i class="swatch before"></i>Before</span> <span><i class="swatch after"></i>After</span>
        <span>Last session (${numbers[numbers.length - 1]}): before ${value(last.before)}, after ${value(last.after)}</span>
      </p>
      <details><summary>Every rating</summary>
        <table class="ratings"><thead><tr><th scope="col">Session</th><th scope="col">Date</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
        <tbody>${sessions.map((x, i) => html`<tr><td>${numbers[i]}</td><td>${longDate(x.started_at.slice(0, 10))}</td><td>${value(x.before)}</td><td>${value(x.after)}</td></tr>`)}</tbody></table>
      </details>`;
  }
}

export class WeeklyChart extends ChartElement {
  static properties = { weeks: { attribute: false }, goal: { type: Number } };
  declare weeks: Week[];
  declare goal: number;

  constructor() {
    super();
    this.weeks = [];
    this.goal = 0;
  }

  protected data() {
    return this.weeks;
  }

  protected hostSelector() {
    return '.weekly-chart';
  }

  protected options(width: number, c: ReturnType<typeof chartColours>) {
    const weeks = this.weeks;
    if (!weeks.length) return null;
    const xs = weeks.map((_, i) => i + 1);
    const top = Math.max(this.goal, ...weeks.map((w) => w.sessions), 1);
    const bars = uPlot.paths.bars?.({ size: [0.6, 48] });
    return {
      opts: {
        width,
        height: 180,
        scales: { x: { time: false, range: [0.5, xs.length + 0.5] as uPlot.Range.MinMax }, y: { range: [0, top + 1] as uPlot.Range.MinMax } },
        axes: [
          {
            stroke: c.ink,
            grid: { show: false },
            label: 'Week of',
            incrs: countIncrs,
            values: (_u: uPlot, ticks: number[]) => ticks.map((t) => weekLabel(weeks[t - 1]?.week_of)),
          },
          { stroke: c.ink, grid: { stroke: c.grid }, label: 'Sessions', incrs: countIncrs },
        ],
        legend: { show: false },
        series: [
          { label: 'Week' },
          { label: 'Sessions', stroke: c.bar, fill: c.bar, width: 0, paths: bars, points: { show: false } },
          ...(this.goal ? [{ label: 'Goal', stroke: c.before, width: 2, dash: [6, 4], points: { show: false } }] : []),
        ],
      },
      data: [xs, weeks.map((w) => w.sessions), ...(this.goal ? [weeks.map(() => this.goal)] : [])] as uPlot.AlignedData,
    };
  }

  render() {
    const weeks = this.weeks;
    if (!weeks.length) return html`<p>No weeks yet.</p>`;
    const last = weeks[weeks.length - 1];
    return html`<div class="weekly-chart" role="img" aria-label="Chart of sessions per week, described below"></div>
      <p class="chart-legend">
        <span><i class="swatch bar"></i>Sessions</span>
        ${this.goal ? html`<span><i class="swatch before"></i>Goal: ${this.goal} a week</span>` : nothing}
        <span>Week of ${longDate(last.week_of)}: ${last.sessions} session${last.sessions === 1 ? '' : 's'}</span>
      </p>
      <details><summary>Every week</summary>
        <table class="ratings"><thead><tr><th scope="col">Week of</th><th scope="col">Sessions</th></tr></thead>
        <tbody>${weeks.map((w) => html`<tr><td>${longDate(w.week_of)}</td><td>${w.sessions}</td></tr>`)}</tbody></table>
      </details>`;
  }
}

/** "2026-11-30" -> "30 Nov". */
function weekLabel(weekOf: string | undefined): string {
  if (!weekOf) return '';
  const [day, month = ''] = longDate(weekOf.slice(0, 10)).split(' ');
  return `${day} ${month.slice(0, 3)}`.trim();
}

customElements.define('rc-pain-chart', PainChart);
customElements.define('rc-weekly-chart', WeeklyChart);
