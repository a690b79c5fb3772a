// <rc-exercise-picture>: a small line drawing of an exercise's position, with the roller drawn
// where it goes and an arrow for the movement. Drawn here, in currentColor and theme variables,
// so it reads in the light and the dark theme. Exercise ids come from data/knowledge/exercises.toml.
import { LitElement, html, svg, nothing } from 'lit';

interface Drawing {
  label: string;
  body: ReturnType<typeof svg>;
}

// A side view, 240 wide, drawn between y = 20 and 132; the floor is at y = 124. Roller: a circle (foam roller end-on) or two
// circles (peanut). Arrows show the direction of movement.
const floor = svg`<line class="floor" x1="6" y1="124" x2="234" y2="124" />`;
// A back-and-forth movement: one line with a head at each end; a one-way one (cat-cow) has one.
const arrow = (d: string) => svg`<path class="move" d=${d} marker-start="url(#rc-arrow)" marker-end="url(#rc-arrow)" />`;
const oneWay = (d: string) => svg`<path class="move" d=${d} marker-end="url(#rc-arrow)" />`;

export const drawings: Record<string, Drawing> = {
  thoracic_roll: {
    label: 'Lying on your back with the roller across the upper and mid back, hands behind the head, hips lifted a little, feet flat on the floor. Roll between the bottom of the shoulder blades and the top of the shoulders.',
    body: svg`
      <circle class="roller" cx="92" cy="110" r="14" />
      <circle class="head" cx="52" cy="86" r="12" />
      <path class="limb" d="M64 92 L92 96 L128 104 L160 96 L176 124" />
      <path class="limb" d="M128 104 L150 100 L170 124" />
      <path class="limb thin" d="M60 80 L74 72 L80 90" />
      ${arrow('M74 66 L116 66')}`,
  },
  lat_roll: {
    label: 'Lying on your side with the roller under the side of the back just below the armpit, the lower arm stretched overhead, top knee bent in front for support. Roll a short way along the side of the back.',
    body: svg`
      <circle class="roller" cx="82" cy="110" r="14" />
      <path class="limb thin" d="M70 96 L30 92" />
      <circle class="head" cx="48" cy="80" r="12" />
      <path class="limb" d="M62 90 L100 98 L160 108 L214 118" />
      <path class="limb" d="M160 108 L176 90 L190 122" />
      ${arrow('M66 70 L104 76')}`,
  },
  glute_roll: {
    label: 'Sitting on the roller with one ankle crossed over the other knee (a figure four), leaning towards the crossed leg, hands on the floor behind you. Roll slowly over the buttock.',
    body: svg`
      <circle class="roller" cx="100" cy="110" r="14" />
      <path class="limb thin" d="M84 58 L64 118" />
      <circle class="head" cx="82" cy="40" r="12" />
      <path class="limb" d="M86 54 L98 94 L150 82 L168 124" />
      <path class="limb" d="M98 94 L136 74 L150 82" />
      ${arrow('M118 106 L152 100')}`,
  },
  hip_flexor_roll: {
    label: 'Face down on the forearms with the roller under the front of one hip, on the outer front of the hip and away from the groin, the other knee bent out to the side. Roll a short way up and down.',
    body: svg`
      <circle class="roller" cx="128" cy="110" r="14" />
      <circle class="head" cx="40" cy="76" r="12" />
      <path class="limb" d="M52 82 L128 94 L214 112" />
      <path class="limb thin" d="M64 86 L60 124 L84 124" />
      <path class="limb thin" d="M140 96 L164 120" />
      ${arrow('M108 70 L150 76')}`,
  },
  peanut_erector_roll: {
    label: 'Lying on your back with the peanut roller across the upper back, the spine resting in the groove between the two balls, knees bent, feet flat. Roll a short way along the mid-back only, never the lower back.',
    body: svg`
      <circle class="roller" cx="88" cy="114" r="10" />
      <circle class="roller ghost" cx="96" cy="110" r="10" />
      <circle class="head" cx="48" cy="90" r="12" />
      <path class="limb" d="M60 96 L92 100 L130 106 L162 96 L178 124" />
      <path class="limb thin" d="M56 84 L70 76 L76 92" />
      ${arrow('M72 72 L112 72')}`,
  },
  cat_cow: {
    label: 'On hands and knees, no roller: slowly round the back up towards the ceiling, then let it sag gently, breathing out and in.',
    body: svg`
      <circle class="head" cx="54" cy="74" r="12" />
      <path class="limb" d="M66 78 Q120 44 176 80" />
      <path class="limb ghost" d="M66 82 Q120 96 176 84" />
      <path class="limb" d="M72 80 L72 124" />
      <path class="limb" d="M176 80 L170 124 L206 124" />
      ${oneWay('M120 58 L120 26')}`,
  },
};

export class ExercisePicture extends LitElement {
  static properties = { exercise: { type: String }, size: { type: String } };
  declare exercise: string;
  declare size: 'small' | 'normal';

  constructor() {
    super();
    this.exercise = '';
    this.size = 'normal';
  }

  createRenderRoot() {
    return this;
  }

  render() {
    const drawing = drawings[this.exercise];
    if (!drawing) return nothing;
    return html`<svg class="exercise-picture ${this.size}" viewBox="0 20 240 112" role="img" aria-label=${drawing.label}>
      <defs>
        <marker id="rc-arrow" viewBox="0 0 10 10" refX="6" refY="5" markerWidth="12" markerHeight="12" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
          <path d="M0 0 L10 5 L0 10 z" class="arrow-head" />
        </marker>
      </defs>
      ${floor}${drawing.body}
    </svg>`;
  }
}

customElements.define('rc-exercise-picture', ExercisePicture);
