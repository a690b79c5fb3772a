// Build-time app icons: renders public/icon.svg to the PNGs that phones want (192 and 512 for
// Android, a maskable 512 with the drawing inside the safe zone, a 180 apple-touch-icon for iOS)
// with @resvg/resvg-js. Used by vite.config.ts (the files are emitted into dist/, never kept
// in the repository); `node scripts/icons.mjs OUT_DIR` writes them to a folder.
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const iconSvgPath = join(here, '..', 'public', 'icon.svg');

/** The maskable variant: a full-bleed background, the drawing shrunk into the central 80 %. */
export function maskableSvg(svg) {
  const inner = svg.replace(/^<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" fill="#101418"/><g transform="translate(9.6 9.6) scale(0.8)">${inner}</g></svg>`;
}

function render(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();
}

/** [{ fileName, source }] for every icon. */
export function renderIcons(svg = readFileSync(iconSvgPath, 'utf8')) {
  return [
    { fileName: 'icon-192.png', source: render(svg, 192) },
    { fileName: 'icon-512.png', source: render(svg, 512) },
    { fileName: 'icon-maskable-512.png', source: render(maskableSvg(svg), 512) },
    { fileName: 'apple-touch-icon.png', source: render(maskableSvg(svg), 180) },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? 'icons';
  mkdirSync(out, { recursive: true });
  for (const icon of renderIcons()) writeFileSync(join(out, icon.fileName), icon.source);
}
