// Starting a build: env overrides, commit and flags for a git configuration; the upload (a file or
// jar, an archive, or a directory tarred here) with a progress bar for a binary one.
import { api, upload } from './api.js';
import { h, fill, errorLine } from './ui.js';
import { tarOf, gzip } from './tar.js';
import { navigate } from './app.js';

function envRows() {
  const list = h('div', { class: 'env-rows' });
  const add = (name = '', value = '', secret = false) => {
    const row = h('div', { class: 'env-row' },
      h('input', { class: 'env-name', placeholder: 'NAME', value: name, 'aria-label': 'Variable name' }),
      h('input', { class: 'env-value', placeholder: 'value', value, 'aria-label': 'Value' }),
      h('label', { class: 'inline' }, h('input', { type: 'checkbox', class: 'env-secret', checked: secret }), ' secret'),
      h('button', { type: 'button', class: 'small', onclick: () => row.remove() }, 'Remove'));
    list.append(row);
  };
  const el = h('div', {}, h('div', { class: 'label' }, 'Environment overrides'), list,
    h('button', { type: 'button', class: 'small', 'data-role': 'add-env', onclick: () => add() }, 'Add variable'));
  return {
    el,
    add,
    values: () => [...list.querySelectorAll('.env-row')].map((r) => ({
      name: r.querySelector('.env-name').value.trim(),
      value: r.querySelector('.env-value').value,
      secret: r.querySelector('.env-secret').checked,
    })).filter((e) => e.name),
  };
}

/** The start-build form of a configuration. */
export function startBuildForm(config) {
  return (config.source || {}).type === 'Binary' ? uploadForm(config) : gitForm(config);
}

function gitForm(config) {
  const env = envRows();
  const commit = h('input', { id: 'start-commit', placeholder: (config.source.git || {}).ref || 'default branch', size: 30 });
  const incremental = h('select', { id: 'start-incremental' }, h('option', { value: '' }, 'as configured'),
    h('option', { value: 'true' }, 'incremental'), h('option', { value: 'false' }, 'clean'));
  const noCache = h('input', { type: 'checkbox', id: 'start-nocache' });
  const status = h('div');
  const form = h('form', { class: 'card', id: 'start-form' }, h('h2', {}, 'Start a build'),
    env.el,
    h('div', { class: 'row' }, h('label', { for: 'start-commit' }, 'Commit or ref'), commit),
    h('div', { class: 'row' }, h('label', { for: 'start-incremental' }, 'Artifacts'), incremental,
      h('label', { class: 'inline' }, noCache, ' build even if nothing changed')),
    h('button', { type: 'submit', class: 'primary', id: 'start-build' }, 'Start build'), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    fill(status);
    const body = { env: env.values() };
    if (commit.value.trim()) body.commit = commit.value.trim();
    if (incremental.value) body.incremental = incremental.value === 'true';
    if (noCache.checked) body.noCache = true;
    try {
      const b = await api('/api/v1/buildconfigs/' + config.name + '/instantiate', { method: 'POST', json: body });
      navigate('/builds/' + b.name);
    } catch (err) {
      fill(status, errorLine(err.message));
    }
  });
  return form;
}

function uploadForm(config) {
  const env = envRows();
  const kinds = [
    ['file', 'A file or jar', 'placed in the source directory as it is' + (config.source.binary && config.source.binary.asFile
      ? ' (as ' + config.source.binary.asFile + ')' : '')],
    ['archive', 'An archive', 'tar, tar.gz or zip, unpacked into the source directory'],
    ['dir', 'A directory', 'tarred in the browser and unpacked on the server'],
  ];
  const fileInput = h('input', { type: 'file', id: 'upload-file' });
  const dirInput = h('input', { type: 'file', id: 'upload-dir', webkitdirectory: true, multiple: true, hidden: true });
  const radios = kinds.map(([value, label, hint], i) => h('label', { class: 'inline' },
    h('input', { type: 'radio', name: 'upload-kind', value, checked: i === 0 }), ' ', label,
    h('span', { class: 'muted' }, ' — ' + hint)));
  const kind = () => radios.map((r) => r.querySelector('input')).find((i) => i.checked).value;
  radios.forEach((r) => r.addEventListener('change', () => {
    fileInput.hidden = kind() === 'dir';
    dirInput.hidden = kind() !== 'dir';
  }));
  const bar = h('progress', { id: 'upload-progress', max: 100, value: 0, hidden: true });
  const barText = h('span', { class: 'muted', id: 'upload-progress-text' });
  const status = h('div');
  const submit = h('button', { type: 'submit', class: 'primary', id: 'upload-start' }, 'Upload and build');
  const form = h('form', { class: 'card', id: 'upload-form' }, h('h2', {}, 'Start a build from an upload'),
    h('div', { class: 'stack' }, radios), fileInput, dirInput, env.el,
    h('div', { class: 'row' }, bar, barText), submit, status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    fill(status);
    const k = kind();
    let body;
    let name = null;
    if (k === 'dir') {
      if (!dirInput.files.length) return fill(status, errorLine('Choose a directory first.'));
      fill(barText, 'packing ' + dirInput.files.length + ' files…');
      const tar = tarOf(dirInput.files);
      body = await gzip(tar.blob);
    } else {
      if (!fileInput.files.length) return fill(status, errorLine('Choose a file first.'));
      body = fileInput.files[0];
      name = body.name;
    }
    const q = new URLSearchParams({ as: k });
    if (k === 'file') q.set('name', name);
    for (const v of env.values()) q.append('env', v.name + '=' + v.value);
    submit.disabled = true;
    bar.hidden = false;
    try {
      const b = await upload('/api/v1/buildconfigs/' + config.name + '/instantiatebinary?' + q, body, (sent, total) => {
        const pct = total ? Math.round((sent / total) * 100) : 0;
        bar.value = pct;
        fill(barText, pct + ' % of ' + formatBytes(total));
      });
      bar.value = 100;
      fill(barText, 'uploaded ' + formatBytes(body.size));
      navigate('/builds/' + b.name);
    } catch (err) {
      fill(status, errorLine(err.message));
      submit.disabled = false;
    }
  });
  return form;
}

export function formatBytes(n) {
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KiB';
  if (n < 1024 * 1024 * 1024) return (n / 1024 / 1024).toFixed(1) + ' MiB';
  return (n / 1024 / 1024 / 1024).toFixed(2) + ' GiB';
}
