// Draws a MemoryMap as SVG. The address axis is piecewise logarithmic: the distinct region
// boundaries are sorted, and each interval between two neighbours is drawn
// BAND_MIN + BAND_PER_DOUBLING · log2(size / 4 KiB) px tall (at least BAND_MIN), so a 4 KiB page and
// a 64 GiB range are both visible and address order is kept; every boundary is a labelled tick.
// Each region is one <g class="region"> with stable hooks: data-region (id), data-layer,
// data-start (first byte) and data-end (one past the last), both 0x + 16 hex digits, data-label,
// and data-golden (same | differs | unchecked) when a golden was compared. Its <title> is the
// derivation, so a plain SVG viewer shows it on hover too. Pure and deterministic.
import { esc } from '../html.ts';
import { hex32, hex64, layerTitle, PHYSICAL_LAYERS, sizeText, type MapLayer, type MapRegion, type MemoryMap } from './model.ts';

/** The scale's constants (px). */
export const BAND_MIN = 6;
export const BAND_PER_DOUBLING = 2.5;
const AXIS_W = 150;
const COL_W = 124;
const COL_GAP = 8;
const HEAD_H = 44;
const LABEL_MIN_GAP = 11;
const PANEL_GAP = 60;


/** The height of one interval of `size` bytes on the piecewise-log axis. */
export function bandHeight(size: bigint): number {
  if (size <= 4096n) return BAND_MIN;
  // log2 of a bigint without losing range: bit length, then the top 52 bits as a fraction
  const bits = size.toString(2).length;
  const top = Number(size >> BigInt(Math.max(0, bits - 53)));
  const log2 = Math.log2(top) + Math.max(0, bits - 53);
  return BAND_MIN + BAND_PER_DOUBLING * (log2 - 12);
}

/** The y of each boundary address: the axis of one panel. */
export interface Axis {
  readonly bounds: readonly bigint[];
  readonly y: ReadonlyMap<bigint, number>;
  readonly height: number;
}

export function buildAxis(regions: readonly MapRegion[]): Axis {
  const set = new Set<bigint>();
  for (const r of regions) {
    set.add(r.start);
    set.add(r.end);
  }
  const bounds = [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const y = new Map<bigint, number>();
  let at = 0;
  bounds.forEach((b, i) => {
    if (i > 0) at += bandHeight(b - bounds[i - 1]!);
    y.set(b, at);
  });
  return { bounds, y, height: at };
}

/** Lanes for overlapping regions of one column: each region's lane, and how many there are. */
export function assignLanes(regions: readonly MapRegion[]): { lane: Map<string, number>; lanes: number } {
  const sorted = [...regions].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.end > b.end ? -1 : a.end < b.end ? 1 : 0));
  const ends: bigint[] = [];
  const lane = new Map<string, number>();
  for (const r of sorted) {
    let i = ends.findIndex((e) => e <= r.start);
    if (i < 0) {
      i = ends.length;
      ends.push(r.end);
    } else ends[i] = r.end;
    lane.set(r.id, i);
  }
  return { lane, lanes: Math.max(1, ends.length) };
}

const ZONE_COLOURS: Readonly<Record<string, string>> = { DMA: '#f6d55c', DMA32: '#f3a953', Normal: '#7fb3e6', HighMem: '#b99ae0', Movable: '#6cc7b5', Device: '#cccccc' };
const PALETTE = ['#8dd3c7', '#fdb462', '#bebada', '#fb8072', '#80b1d3', '#b3de69', '#fccde5', '#bc80bd', '#ccebc5', '#ffed6f'];

/** A stable palette index for a string (FNV-1a). */
function hashIndex(s: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h % n;
}

/** The fill of a region, from its layer and kind. */
export function fillOf(r: MapRegion): string {
  if (r.layer === 'hole') return 'url(#hatch)';
  if (r.kind === 'e820-1') return '#9ed99e';
  if (r.kind === 'e820-2') return '#c8c8c8';
  if (r.kind === 'e820-3' || r.kind === 'e820-4') return '#f2b880';
  if (r.kind.startsWith('e820')) return '#e0c0e0';
  if (r.layer === 'memblock-memory') return '#a9c9ef';
  if (r.kind.startsWith('zone-')) return ZONE_COLOURS[r.kind.slice(5)] ?? '#dddddd';
  return PALETTE[hashIndex(r.kind, PALETTE.length)]!;
}

const fx = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** One region's <g>, at column x, lane geometry and the axis. */
function regionG(r: MapRegion, axis: Axis, x: number, w: number, addr: (v: bigint) => string): string {
  const y0 = axis.y.get(r.start)!;
  const y1 = axis.y.get(r.end)!;
  const h = Math.max(1, y1 - y0);
  const cls = ['region', r.golden ? `golden-${r.golden}` : '', r.freed ? 'freed' : ''].filter((c) => c !== '').join(' ');
  const attrs = [
    `class="${cls}"`, `data-region="${esc(r.id)}"`, `data-layer="${r.layer}"`, `data-start="${hex64(r.start)}"`, `data-end="${hex64(r.end)}"`,
    `data-label="${esc(r.label)}"`, ...(r.golden ? [`data-golden="${r.golden}"`] : []), 'tabindex="0"',
  ].join(' ');
  const tip = [`${r.label}`, `[${addr(r.start)}-${addr(r.end - 1n)}] ${sizeText(r.end - r.start)}`, ...(r.golden ? [`golden: ${r.golden}`] : []), ...r.derivation].join('\n');
  const out = [`<g ${attrs}><title>${esc(tip)}</title>`, `<rect x="${fx(x)}" y="${fx(y0)}" width="${fx(w)}" height="${fx(h)}" fill="${fillOf(r)}"/>`];
  if (h >= 10 && w >= 30) {
    const chars = Math.floor((w - 6) / 6);
    const text = r.label.length > chars ? `${r.label.slice(0, Math.max(1, chars - 1))}…` : r.label;
    out.push(`<text x="${fx(x + 3)}" y="${fx(y0 + Math.min(h / 2 + 4, 14))}">${esc(text)}</text>`);
  }
  out.push('</g>');
  return out.join('');
}

/** One panel: the axis and one column per layer, from (x0, 0). Returns its SVG and width. */
function panel(map: MemoryMap, regions: readonly MapRegion[], layers: readonly MapLayer[], x0: number, addr: (v: bigint) => string, name: string): { svg: string; width: number; height: number } {
  const axis = buildAxis(regions);
  const out: string[] = [`<g class="panel" data-panel="${name}">`];
  let lastLabel = -Infinity;
  const width = AXIS_W + layers.length * (COL_W + COL_GAP);
  for (const b of axis.bounds) {
    const y = HEAD_H + axis.y.get(b)!;
    out.push(`<line class="tick" x1="${fx(x0 + AXIS_W - 6)}" y1="${fx(y)}" x2="${fx(x0 + width)}" y2="${fx(y)}"/>`);
    if (y - lastLabel >= LABEL_MIN_GAP) {
      out.push(`<text class="addr" x="${fx(x0 + AXIS_W - 8)}" y="${fx(y + 3.5)}" text-anchor="end">${addr(b)}</text>`);
      lastLabel = y;
    }
  }
  layers.forEach((layer, i) => {
    const cx = x0 + AXIS_W + i * (COL_W + COL_GAP);
    const mine = regions.filter((r) => r.layer === layer);
    out.push(`<text class="col-head" x="${fx(cx + COL_W / 2)}" y="28" text-anchor="middle" data-column="${layer}">${esc(layerTitle(map, layer))}</text>`);
    const { lane, lanes } = assignLanes(mine);
    const lw = COL_W / lanes;
    out.push(`<g transform="translate(0 ${HEAD_H})">`);
    for (const r of mine) out.push(regionG(r, axis, cx + lane.get(r.id)! * lw, lw, addr));
    out.push('</g>');
  });
  out.push('</g>');
  return { svg: out.join('\n'), width, height: HEAD_H + axis.height + 20 };
}

const STYLE = `
.region rect { stroke: #555; stroke-width: 0.5; }
.region:hover rect, .region:focus rect { stroke: #000; stroke-width: 2; }
.region.golden-differs rect { stroke: #d00; stroke-width: 2.5; stroke-dasharray: 4 2; }
.region.golden-same rect { stroke: #090; }
.region.freed rect { opacity: 0.45; }
.region text { font: 10px sans-serif; pointer-events: none; }
.addr { font: 10px monospace; fill: #333; }
.col-head { font: bold 12px sans-serif; }
.panel-head { font: bold 14px sans-serif; }
.tick { stroke: #eee; stroke-width: 0.5; }
`;

/** The whole map as one standalone SVG document: the physical panel, then the virtual one (i386). */
export function renderMapSvg(map: MemoryMap): string {
  const phys = panel(map, map.physical, PHYSICAL_LAYERS, 0, hex64, 'physical');
  const virt = map.virtual.length > 0 ? panel(map, map.virtual, ['virtual'], phys.width + PANEL_GAP, hex32, 'virtual') : undefined;
  const width = phys.width + (virt ? PANEL_GAP + virt.width : 0) + 10;
  const height = Math.max(phys.height, virt?.height ?? 0) + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="memory-map" width="${fx(width)}" height="${fx(height)}" viewBox="0 0 ${fx(width)} ${fx(height)}" data-regions="${map.physical.length + map.virtual.length}">`,
    `<title>${esc(map.title)}</title>`,
    `<style>${STYLE}</style>`,
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#bbb" stroke-width="2"/></pattern></defs>',
    `<text class="panel-head" x="4" y="12">physical (piecewise log scale: each interval between boundaries ${BAND_MIN} + ${BAND_PER_DOUBLING}·log2(size/4K) px)</text>`,
    phys.svg,
    ...(virt ? [`<text class="panel-head" x="${fx(phys.width + PANEL_GAP)}" y="12">i386 virtual</text>`, virt.svg] : []),
    '</svg>',
  ].join('\n');
}
