// Types for roller-finder.js: plain JavaScript so that the footage tool can serve the very same
// file to headless Chromium (tools/footage/roller_sightings.mjs) without a build step.

/** A landmark as the pose model gives it ({x, y, ...}) or as the JSON Lines carry it ([x, y, ...]). */
export type FinderLandmark = { x: number; y: number } | readonly number[] | null | undefined;

/** What the confidence is made of (see roller-finder.js). */
export interface RollerCues {
  edge: number; // mean radial gradient on the lower rim
  coverage: number; // share of the rim with a real edge
  weakest: number; // weakest third of the rim against the mean
  contrast: number; // the disc's colour against the floor just outside it (RGB distance; reported, not used)
  rival: number; // the best other circle that could be the near end (as large, 1.5 radii away), against this one
  rivalSize: number; // its radius against this one's (0: none)
  rivalBelow: number; // how far below this one it is, in radii (0: none)
  size: number; // radius against the one the body's size predicts
  moved: number | null; // distance from the previous sighting, in radii (null: none given)
}

export interface RollerFound {
  x: number; // centre, share of the width
  y: number; // centre, share of the height (down)
  r: number; // radius, share of the height
  score: number;
  confidence: number; // 0..1: how sure it is that this is the roller's near end disc
  cues: RollerCues;
}

export function findRoller(
  data: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  landmarks: readonly FinderLandmark[] | null,
  options?: { previous?: { x: number; y: number; r: number } | null },
): RollerFound | null;

export function confidenceFrom(cues: RollerCues): number;
