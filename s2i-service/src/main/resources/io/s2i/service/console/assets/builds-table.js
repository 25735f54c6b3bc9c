// The paged builds table, for the builds page and a configuration's page. Paging is the API's:
// each page asks for `limit` builds after the cursor of the page before (kept here as a stack so
// "Newer" goes back), and the API says how many match in all.
import { page as fetchPage } from './api.js';
import { h, fill, link, phase, when, buildDuration, short, triggerText, TERMINAL, every } from './ui.js';
import { handle } from './app.js';

export function buildsTable({ config = '', phases = [], limit = 50, showConfig = true, id = 'builds' } = {}) {
  const body = h('tbody');
  const info = h('span', { class: 'muted', 'data-role': 'count' });
  const older = h('button', { type: 'button', class: 'small', 'data-role': 'older' }, 'Older →');
  const newer = h('button', { type: 'button', class: 'small', 'data-role': 'newer' }, '← Newer');
  const cursors = [];
  let next = null;
  let current = null;
  let items = [];
  const state = { config, phases };

  const heads = ['Build', showConfig && 'Configuration', 'Phase', 'Trigger', 'Commit', 'Started', 'Duration', 'Digest']
    .filter(Boolean);
  const table = h('table', { class: 'list', id },
    h('thead', {}, h('tr', {}, heads.map((t) => h('th', {}, t)))), body);
  const el = h('div', { class: 'builds-table' }, table, h('div', { class: 'pager' }, newer, info, older));

  async function load(cursor) {
    const q = new URLSearchParams({ limit: String(limit) });
    if (state.config) q.set('config', state.config);
    if (state.phases.length) q.set('phase', state.phases.join(','));
    if (cursor) q.set('continue', cursor);
    const p = await fetchPage('/api/v1/builds?' + q);
    current = cursor;
    next = p.next;
    items = p.items;
    const first = cursors.length * limit;
    fill(info, p.total === 0 ? 'no builds' : `${first + 1}–${first + p.items.length} of ${p.total}`);
    older.disabled = !next;
    newer.disabled = cursors.length === 0;
    fill(body, items.length ? items.map((b) => row(b, showConfig))
      : h('tr', {}, h('td', { colspan: heads.length, class: 'muted' }, 'No builds.')));
  }

  older.addEventListener('click', () => {
    if (!next) return;
    cursors.push(current);
    load(next).catch(handle);
  });
  newer.addEventListener('click', () => {
    if (!cursors.length) return;
    load(cursors.pop()).catch(handle);
  });

  return {
    el,
    load: () => load(null),
    /** Shows the first page for other filters. */
    filter(changes) {
      Object.assign(state, changes);
      cursors.length = 0;
      return load(null);
    },
    /** Keeps the page current while any of its builds runs (or it is the first page). */
    follow(page) {
      return every(2500, () => {
        const live = items.some((b) => !TERMINAL.has(b.phase));
        if (live || cursors.length === 0) load(current).catch(handle);
      }, page);
    },
  };
}

function row(b, showConfig) {
  const rev = b.revision || {};
  return h('tr', { dataset: { build: b.name, phase: b.phase } },
    h('td', {}, link('/builds/' + b.name, b.name)),
    showConfig && h('td', {}, link('/configs/' + b.config, b.config)),
    h('td', {}, phase(b.phase, b.reason)),
    h('td', {}, triggerText(b)),
    h('td', { title: rev.message || '' }, rev.commit ? h('code', {}, rev.commit.slice(0, 8)) : (b.options && b.options.binary ? 'upload' : '')),
    h('td', {}, when(b.startedAt || b.createdAt)),
    h('td', { class: 'num' }, buildDuration(b)),
    h('td', {}, b.imageDigest ? h('code', { title: b.imageDigest }, short(b.imageDigest)) : ''));
}
