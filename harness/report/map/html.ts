// The memory map as a self-contained HTML page: the SVG inline (./svg.ts), a legend, and a panel
// that shows the derivation of the region under the pointer or the keyboard focus (#derivation;
// the same text is each region's SVG <title>). No network, no external assets. Deterministic.
import { esc } from '../html.ts';
import { renderMapSvg } from './svg.ts';
import { hex32, hex64, layerTitle, sizeText, type MemoryMap } from './model.ts';

const PAGE_STYLE = `
body { font: 14px sans-serif; margin: 0; display: flex; flex-direction: column; height: 100vh; }
header { padding: 8px 12px; border-bottom: 1px solid #ccc; }
header h1 { font-size: 17px; margin: 0 0 4px; }
header p { margin: 2px 0; color: #333; }
main { display: flex; flex: 1; min-height: 0; }
#map { flex: 1; overflow: auto; }
#derivation { width: 30%; max-width: 520px; overflow: auto; border-left: 1px solid #ccc; padding: 8px 12px; font: 12px monospace; white-space: pre-wrap; background: #fafafa; }
#derivation h2 { font: bold 14px sans-serif; margin: 0 0 6px; }
@media (max-width: 700px) { main { flex-direction: column; } #derivation { width: auto; max-width: none; border-left: 0; border-top: 1px solid #ccc; max-height: 40vh; } }
`;

const PAGE_SCRIPT = `
(function () {
  var panel = document.getElementById('derivation');
  function show(g) {
    var t = g.querySelector('title');
    panel.setAttribute('data-region', g.getAttribute('data-region'));
    panel.textContent = t ? t.textContent : '';
  }
  document.querySelectorAll('g.region').forEach(function (g) {
    g.addEventListener('mouseenter', function () { show(g); });
    g.addEventListener('focus', function () { show(g); });
    g.addEventListener('click', function () { show(g); });
  });
})();
`;

/** The map page. `subtitle` says which boot it is (profile, kernel). */
export function renderMapHtml(map: MemoryMap, subtitle: string): string {
  const svg = renderMapSvg(map);
  const layers = [...new Set([...map.physical, ...map.virtual].map((r) => r.layer))];
  const summary = layers.map((l) => `${layerTitle(map, l)}: ${[...map.physical, ...map.virtual].filter((r) => r.layer === l).length}`).join(' · ');
  const span = map.physical.length > 0 ? map.physical.reduce((m, r) => (r.end > m ? r.end : m), 0n) : 0n;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(map.title)}</title>`,
    `<style>${PAGE_STYLE}</style></head><body>`,
    `<header><h1>${esc(map.title)}</h1><p>${esc(subtitle)}</p>`,
    `<p>Regions: ${esc(summary)}. Physical addresses up to ${esc(hex64(span))} (${esc(sizeText(span))}); the axis is piecewise logarithmic, so every boundary keeps its order and a 4K page stays visible beside a 64G range.${map.virtual.length > 0 ? ` The right panel is the i386 kernel's virtual layout (${esc(hex32(map.virtual[0]!.start))} up).` : ''}</p>`,
    ...(map.golden ? [`<p class="golden-note" data-golden-file="${esc(map.golden.file)}">Compared with ${esc(map.golden.file)}: ${esc(map.golden.note)}. Dashed red outlines differ from the real boot.</p>`] : []),
    ...(map.notDrawn !== undefined && map.notDrawn.length > 0 ? [`<p class="not-drawn">Not drawn: ${map.notDrawn.map((n) => `<span data-not-drawn>${esc(n)}</span>`).join('; ')}.</p>`] : []),
    '<p>Point at a region (or tap it, or Tab to it) to see its derivation.</p></header>',
    `<main><div id="map">${svg}</div><aside id="derivation" aria-live="polite"><h2>Derivation</h2>Point at a region.</aside></main>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
