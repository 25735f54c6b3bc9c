import { api } from './api.js';
import { h, fact, fill, link, sourceText, builderText, copyButton, errorLine } from './ui.js';
import { buildsTable } from './builds-table.js';
import { startBuildForm } from './start-build.js';
import { navigate } from './app.js';

export async function render(page, params) {
  const name = params.name;
  const [config, hooks] = await Promise.all([
    api('/api/v1/buildconfigs/' + name),
    api('/api/v1/buildconfigs/' + name + '/webhooks'),
  ]);
  const st = config.strategy || {};
  const out = config.output || {};
  const table = buildsTable({ config: name, limit: 20, showConfig: false, id: 'config-builds' });
  const del = h('button', { type: 'button', class: 'danger small', id: 'delete-config' }, 'Delete');
  const delStatus = h('span');
  del.addEventListener('click', async () => {
    if (!confirm('Delete ' + name + ' with all its builds and logs?')) return;
    try {
      await api('/api/v1/buildconfigs/' + name, { method: 'DELETE' });
      navigate('/');
    } catch (e) {
      fill(delStatus, errorLine(e.message));
    }
  });

  fill(page,
    h('div', { class: 'head' }, h('h1', {}, name),
      h('div', { class: 'actions' }, link('/configs/' + name + '/edit', 'Edit'), ' ', del, delStatus)),
    h('div', { class: 'grid' },
      h('section', { class: 'card' }, h('h2', {}, 'Configuration'), h('dl', { class: 'facts' },
        fact('Source', sourceText(config)),
        fact('Strategy', st.type || 'Source'),
        fact('Builder', builderText(config)),
        st.runtimeImage && fact('Runtime image', st.runtimeImage),
        fact('Output', [out.image || '', out.push ? ' (pushed)' : '']),
        fact('Run policy', config.runPolicy || 'Serial'),
        fact('History kept', (config.successfulBuildsHistoryLimit ?? 5) + ' complete, ' + (config.failedBuildsHistoryLimit ?? 5) + ' failed'),
        (st.env || []).length > 0 && fact('Environment', (st.env || []).map((e) => h('div', {}, h('code', {}, e.name + '=' + e.value)))),
        config.status && fact('Builds started', String(config.status.lastVersion)))),
      h('section', { class: 'card', id: 'triggers' }, h('h2', {}, 'Triggers'), triggers(config, hooks))),
    startBuildForm(config),
    h('section', {}, h('h2', {}, 'Builds'), table.el));
  await table.load();
  return table.follow(page);
}

function triggers(config, hooks) {
  const list = config.triggers || [];
  if (!list.length) {
    return h('p', { class: 'muted' }, 'None: builds start only by hand (or from the CLI and API).');
  }
  let secrets = null;
  const reveal = async () => {
    secrets = secrets || await api('/api/v1/buildconfigs/' + config.name + '/webhooks/secrets', { method: 'POST' });
    return secrets;
  };
  return h('table', { class: 'list', id: 'webhooks' },
    h('thead', {}, h('tr', {}, ['Type', 'Webhook URL', 'Secret'].map((t) => h('th', {}, t)))),
    h('tbody', {}, list.map((t, i) => {
      const hook = hooks.find((x) => x.index === i);
      if (!hook) {
        return h('tr', {}, h('td', {}, t.type), h('td', { class: 'muted', colspan: 2 },
          t.type === 'ImageChange' ? 'rebuilds when ' + (t.from || 'the builder image') + ' changes'
            : 'builds when the configuration is created or changed'));
      }
      const urlCell = h('code', { class: 'url', 'data-role': 'url' }, hook.url);
      const secretCell = h('span', { class: 'secret', 'data-role': 'secret' }, '•••••');
      const show = h('button', { type: 'button', class: 'small', 'data-role': 'show-secret' }, 'Show secret');
      show.addEventListener('click', async () => {
        try {
          const s = (await reveal()).find((x) => x.index === i);
          fill(secretCell, s.secret);
          fill(urlCell, s.url);
          show.remove();
        } catch (e) {
          fill(secretCell, errorLine(e.message));
        }
      });
      const fullUrl = async () => (hook.secretInUrl ? (await reveal()).find((x) => x.index === i).url : hook.url);
      return h('tr', { dataset: { trigger: t.type } },
        h('td', {}, t.type, t.allowEnv ? h('span', { class: 'muted' }, ' (env allowed)') : ''),
        h('td', { class: 'wrap' }, urlCell, ' ', copyButton(fullUrl, 'Copy URL')),
        h('td', {}, secretCell, ' ', show, ' ',
          copyButton(async () => (await reveal()).find((x) => x.index === i).secret, 'Copy secret')));
    })));
}
