// <rc-body-map>: the body seen from behind, with target zones in one colour, no-go zones
// (lumbar spine, neck, joints) in another and striped, caution zones in a third, and the zones
// of the current exercise highlighted. Zone ids and statuses come from the knowledge base.
import { LitElement, html, svg, nothing } from 'lit';
import type { Zone } from '../lib/api';

// Shapes on a 200 x 400 back view, keyed by knowledge-base zone id.
const shapes: Record<string, ReturnType<typeof svg>> = {
  cervical_spine: svg`<rect x="90" y="58" width="20" height="22" rx="5" />`,
  thoracic_spine: svg`<rect x="88" y="84" width="24" height="96" rx="8" />`,
  erector_spinae: svg`<rect x="76" y="88" width="10" height="120" rx="5" /><rect x="114" y="88" width="10" height="120" rx="5" />`,
  latissimus_dorsi: svg`<path d="M56 100 q-4 50 16 86 l8 -4 q-8 -40 -4 -80 z" /><path d="M144 100 q4 50 -16 86 l-8 -4 q8 -40 4 -80 z" />`,
  lumbar_spine: svg`<rect x="88" y="184" width="24" height="46" rx="8" />`,
  glutes: svg`<ellipse cx="80" cy="252" rx="21" ry="20" /><ellipse cx="120" cy="252" rx="21" ry="20" />`,
  hip_flexors: svg`<ellipse cx="62" cy="232" rx="7" ry="12" /><ellipse cx="138" cy="232" rx="7" ry="12" />`,
  back_of_knee: svg`<circle cx="80" cy="330" r="9" /><circle cx="120" cy="330" r="9" />`,
  elbow: svg`<circle cx="36" cy="176" r="8" /><circle cx="164" cy="176" r="8" />`,
};

const outline = svg`
  <circle cx="100" cy="34" r="22" />
  <path d="M70 70 q30 -14 60 0 l22 16 q10 10 10 30 l6 60 q2 14 -4 30 l-10 -4 l-2 -26 l-6 -46 l-4 60 q6 30 2 60
           l-4 96 q-2 20 -6 36 h-14 l-4 -120 l-6 -40 l-6 40 l-4 120 h-14 q-4 -16 -6 -36 l-4 -96 q-4 -30 2 -60
           l-4 -60 l-6 46 l-2 26 l-10 4 q-6 -16 -4 -30 l6 -60 q0 -20 10 -30 z" />`;

export function statusClass(status: string): string {
  if (status === 'no-go') return 'nogo';
  if (status === 'caution') return 'caution';
  return 'target';
}

export class BodyMap extends LitElement {
  static properties = {
    zones: { attribute: false },
    current: { attribute: false },
    compact: { type: Boolean },
  };

  declare zones: Zone[];
  declare current: string[];
  declare compact: boolean;

  constructor() {
    super();
    this.zones = [];
    this.current = [];
    this.compact = false;
  }

  createRenderRoot() {
    return this;
  }

  render() {
    const known = this.zones.filter((zone) => shapes[zone.id]);
    const currentNames = known.filter((zone) => this.current.includes(zone.id)).map((zone) => zone.plain_name);
    const label = `Body map seen from behind. ${currentNames.length ? `Now: ${currentNames.join(', ')}. ` : ''}Never rolled: ${known
      .filter((zone) => zone.status === 'no-go')
      .map((zone) => zone.plain_name)
      .join(', ')}.`;
    return html`
      <figure class="body-map ${this.compact ? 'compact' : ''}">
        <svg viewBox="0 0 200 400" role="img" aria-label=${label}>
          <defs>
            <pattern id="nogo-stripes" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="8" height="8" class="nogo-fill" />
              <rect width="3" height="8" class="nogo-stripe" />
            </pattern>
          </defs>
          <g class="outline">${outline}</g>
          ${known.map(
            (zone) => svg`<g class="zone ${statusClass(zone.status)} ${this.current.includes(zone.id) ? 'current' : ''}"
                data-zone=${zone.id}><title>${zone.plain_name}</title>${shapes[zone.id]}</g>`,
          )}
        </svg>
        ${this.compact
          ? nothing
          : html`<figcaption class="legend">
              <span><i class="swatch target"></i>Roll here</span>
              <span><i class="swatch caution"></i>Gently, with care</span>
              <span><i class="swatch nogo"></i>Never roll</span>
              ${this.current.length ? html`<span><i class="swatch current"></i>Now</span>` : nothing}
            </figcaption>`}
      </figure>
    `;
  }
}

customElements.define('rc-body-map', BodyMap);
