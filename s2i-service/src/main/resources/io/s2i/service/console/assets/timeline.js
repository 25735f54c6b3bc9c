// A build's stages and steps as an SVG timeline (drawn here; no chart library).
import { duration } from './ui.js';

const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 960;
const LABEL = 190;
const ROW = 22;
const COLORS = { FetchInputs: '#3b82f6', PullImages: '#8b5cf6', Build: '#0d9488', PostCommit: '#d97706', PushImage: '#db2777' };

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** The timeline of a build, or null when it has no stages yet. */
export function timeline(build) {
  const stages = build.stages || [];
  if (!stages.length) return null;
  const t = (iso) => new Date(iso).getTime();
  const start = Math.min(...stages.map((st) => t(st.startTime)), build.startedAt ? t(build.startedAt) : Infinity);
  const ends = stages.flatMap((st) => [t(st.startTime) + st.durationMs, ...st.steps.map((p) => t(p.startTime) + p.durationMs)]);
  const end = Math.max(...ends, build.completedAt ? t(build.completedAt) : 0, start + 1);
  const span = end - start;
  const x = (ms) => LABEL + ((ms - start) / span) * (WIDTH - LABEL - 70);
  const rows = [];
  for (const st of stages) {
    rows.push({ kind: 'stage', name: st.name, from: t(st.startTime), ms: st.durationMs, color: COLORS[st.name] || '#64748b', ok: st.steps.every((p) => p.succeeded) });
    for (const p of st.steps) rows.push({ kind: 'step', name: p.name, from: t(p.startTime), ms: p.durationMs, color: COLORS[st.name] || '#64748b', ok: p.succeeded });
  }
  const height = rows.length * ROW + 30;
  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'timeline', role: 'img', id: 'timeline',
    'aria-label': 'Stages and steps of ' + build.name + ' over ' + duration(span) });
  for (let i = 0; i <= 4; i++) {
    const gx = LABEL + (i / 4) * (WIDTH - LABEL - 70);
    svg.append(s('line', { x1: gx, x2: gx, y1: 0, y2: height - 18, class: 'grid' }),
      s('text', { x: gx, y: height - 4, class: 'tick', 'text-anchor': 'middle' }, duration(Math.round((span * i) / 4))));
  }
  rows.forEach((r, i) => {
    const y = i * ROW + 4;
    const g = s('g', { class: r.kind + (r.ok ? '' : ' failed'), 'data-name': r.name });
    g.append(s('title', {}, `${r.name}: ${duration(r.ms)}${r.ok ? '' : ' (failed)'}`));
    g.append(s('text', { x: r.kind === 'stage' ? 4 : 18, y: y + 14, class: 'label' }, r.name));
    const bx = x(r.from);
    const bw = Math.max(2, x(r.from + r.ms) - bx);
    g.append(s('rect', { x: bx, y: y + (r.kind === 'stage' ? 2 : 5), width: bw, height: r.kind === 'stage' ? 14 : 9, rx: 2,
      fill: r.ok ? r.color : '#dc2626', 'fill-opacity': r.kind === 'stage' ? 0.9 : 0.6 }));
    g.append(s('text', { x: bx + bw + 4, y: y + 14, class: 'dur' }, duration(r.ms)));
    svg.append(g);
  });
  return svg;
}
