import { api } from './api.js';
import { h, fill, link, phase, when, sourceText, builderText, PHASES, every, TERMINAL } from './ui.js';
import { handle } from './app.js';

export async function render(page, params, query) {
  const data = await api('/api/v1/overview');
  const filter = h('input', { type: 'search', id: 'config-filter', placeholder: 'Filter by name, source, builder, output',
    value: query.get('q') || '', 'aria-label': 'Filter configurations' });
  const phaseSel = h('select', { id: 'config-phase', 'aria-label': 'Last build phase' },
    h('option', { value: '' }, 'Any last build'), PHASES.map((p) => h('option', { value: p }, p)),
    h('option', { value: 'none' }, 'No build yet'));
  phaseSel.value = query.get('phase') || '';
  const body = h('tbody');
  const count = h('span', { class: 'muted' });
  let rows = data.configs;

  function draw() {
    const q = filter.value.trim().toLowerCase();
    const ph = phaseSel.value;
    const shown = rows.filter(({ config, lastBuild }) => {
      const hay = [config.name, sourceText(config), builderText(config), (config.output || {}).image].join(' ').toLowerCase();
      if (q && !hay.includes(q)) return false;
      if (ph === 'none') return !lastBuild;
      return !ph || (lastBuild && lastBuild.phase === ph);
    });
    fill(body, shown.length ? shown.map(row) : h('tr', {}, h('td', { colspan: 5, class: 'muted' },
      rows.length ? 'No configuration matches the filter.' : 'No build configurations yet.')));
    fill(count, shown.length + ' of ' + rows.length);
    const url = new URLSearchParams();
    if (filter.value) url.set('q', filter.value);
    if (ph) url.set('phase', ph);
    history.replaceState({}, '', location.pathname + (url.toString() ? '?' + url : ''));
  }
  filter.addEventListener('input', draw);
  phaseSel.addEventListener('change', draw);

  fill(page,
    h('div', { class: 'head' }, h('h1', {}, 'Build configurations'),
      h('div', { class: 'actions' }, link('/new', 'New configuration'), ' ', link('/detect', 'Detect a source'))),
    h('div', { class: 'toolbar' }, filter, phaseSel, count),
    h('table', { class: 'list', id: 'configs' },
      h('thead', {}, h('tr', {}, ['Name', 'Source', 'Builder', 'Output', 'Last build'].map((t) => h('th', {}, t)))),
      body));
  draw();

  // While a build runs, the last-build column follows it (one small request every few seconds).
  return every(3000, async () => {
    if (!rows.some((r) => r.lastBuild && !TERMINAL.has(r.lastBuild.phase))) return;
    try {
      rows = (await api('/api/v1/overview')).configs;
      draw();
    } catch (e) {
      handle(e);
    }
  }, page);
}

function row({ config, lastBuild }) {
  return h('tr', { dataset: { config: config.name } },
    h('td', {}, link('/configs/' + config.name, config.name)),
    h('td', { class: 'wrap' }, sourceText(config)),
    h('td', { class: 'wrap' }, builderText(config)),
    h('td', { class: 'wrap' }, (config.output || {}).image || ''),
    h('td', {}, lastBuild
      ? [phase(lastBuild.phase, lastBuild.reason), ' ', link('/builds/' + lastBuild.name, '#' + lastBuild.number), ' ',
        when(lastBuild.completedAt || lastBuild.startedAt || lastBuild.createdAt)]
      : h('span', { class: 'muted' }, 'never built')));
}
