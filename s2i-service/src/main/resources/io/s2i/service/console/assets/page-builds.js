import { api } from './api.js';
import { h, fill, PHASES } from './ui.js';
import { buildsTable } from './builds-table.js';

export async function render(page, params, query) {
  const overview = await api('/api/v1/overview');
  const config = query.get('config') || '';
  const phases = (query.get('phase') || '').split(',').filter((p) => PHASES.includes(p));
  const table = buildsTable({ config, phases, limit: 50 });
  const counts = overview.phases || {};

  const configSel = h('select', { id: 'builds-config', 'aria-label': 'Configuration' },
    h('option', { value: '' }, 'All configurations'),
    overview.configs.map(({ config: c }) => h('option', { value: c.name }, c.name)));
  configSel.value = config;
  const chips = PHASES.map((p) => h('label', { class: 'chip phase-' + p.toLowerCase() },
    h('input', { type: 'checkbox', value: p, checked: phases.includes(p) }), ' ', p,
    h('span', { class: 'muted' }, ' ' + (counts[p] || 0))));

  function apply() {
    const selected = chips.map((c) => c.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
    const q = new URLSearchParams();
    if (configSel.value) q.set('config', configSel.value);
    if (selected.length) q.set('phase', selected.join(','));
    history.replaceState({}, '', '/builds' + (q.toString() ? '?' + q : ''));
    return table.filter({ config: configSel.value, phases: selected });
  }
  configSel.addEventListener('change', apply);
  chips.forEach((c) => c.addEventListener('change', apply));

  fill(page, h('div', { class: 'head' }, h('h1', {}, 'Builds')),
    h('div', { class: 'toolbar' }, configSel, h('div', { class: 'chips' }, chips)),
    table.el);
  await table.load();
  return table.follow(page);
}
