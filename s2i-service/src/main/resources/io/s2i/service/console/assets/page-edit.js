// Create or edit a configuration, from a form or by pasting YAML (s2i's or OpenShift's
// BuildConfig). Either way the API validates and answers the one-line reason shown here.
import { api } from './api.js';
import { h, fill, errorLine } from './ui.js';
import { toYaml } from './yaml.js';
import { navigate } from './app.js';

const PREFILL = 's2i.prefill';

export async function render(page, params) {
  const editing = !!params.name;
  const config = editing ? await api('/api/v1/buildconfigs/' + params.name) : draft();
  delete config.status;
  const status = h('div', { id: 'edit-status' });
  const form = configForm(config, editing);
  const yaml = h('textarea', { id: 'yaml', rows: 24, spellcheck: 'false', 'aria-label': 'YAML' },
    editing ? toYaml(config) : EXAMPLE);
  const yamlForm = h('form', { class: 'card', id: 'yaml-form', hidden: true },
    h('p', { class: 'muted' }, 'Paste s2i\'s configuration or an OpenShift BuildConfig (YAML or JSON). '
      + (editing ? 'Masked secrets (*****) keep their stored values.' : '')),
    yaml, h('button', { type: 'submit', class: 'primary', id: 'yaml-save' }, editing ? 'Save' : 'Create'));
  const tabForm = h('button', { type: 'button', class: 'tab active', id: 'tab-form' }, 'Form');
  const tabYaml = h('button', { type: 'button', class: 'tab', id: 'tab-yaml' }, 'YAML');
  tabForm.addEventListener('click', () => { form.el.hidden = false; yamlForm.hidden = true; tabForm.classList.add('active'); tabYaml.classList.remove('active'); });
  tabYaml.addEventListener('click', () => {
    if (!form.el.hidden) yaml.value = toYaml(form.value());
    form.el.hidden = true; yamlForm.hidden = false; tabYaml.classList.add('active'); tabForm.classList.remove('active');
  });

  async function save(options) {
    fill(status);
    try {
      const saved = await api(editing ? '/api/v1/buildconfigs/' + params.name : '/api/v1/buildconfigs',
        { method: editing ? 'PUT' : 'POST', ...options });
      navigate('/configs/' + saved.name);
    } catch (e) {
      fill(status, errorLine(e.message));
    }
  }
  form.el.addEventListener('submit', (e) => { e.preventDefault(); save({ json: form.value() }); });
  yamlForm.addEventListener('submit', (e) => { e.preventDefault(); save({ text: yaml.value, type: 'application/yaml' }); });

  fill(page, h('div', { class: 'head' }, h('h1', {}, editing ? 'Edit ' + params.name : 'New build configuration')),
    h('div', { class: 'tabs' }, tabForm, tabYaml), status, form.el, yamlForm);
}

const EXAMPLE = `name: my-app
source:
  git:
    uri: https://git.example.com/team/my-app.git
    ref: main
strategy:
  builderImage: registry.example.com/builders/python-311:latest
output:
  image: registry.example.com/team/my-app:latest
triggers:
  - type: Generic
    secret: change-me
`;

/** A new configuration: empty, or what the detection page handed over. */
function draft() {
  const prefill = sessionStorage.getItem(PREFILL);
  sessionStorage.removeItem(PREFILL);
  const base = { name: '', source: { git: { uri: '', ref: '' } }, strategy: { builderImage: '' }, output: { image: '' } };
  if (!prefill) return base;
  try {
    return { ...base, ...JSON.parse(prefill) };
  } catch (e) {
    return base;
  }
}

/** Hands a draft to the new-configuration page (the detection page does). */
export function prefill(config) {
  sessionStorage.setItem(PREFILL, JSON.stringify(config));
}

function field(label, input, hint) {
  return h('div', { class: 'row' }, h('label', { for: input.id }, label), input, hint ? h('span', { class: 'muted' }, hint) : null);
}

const WEBHOOKS = ['GitHub', 'GitLab', 'Bitbucket', 'Generic'];

function randomSecret() {
  const b = new Uint8Array(18);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * The form. It edits the common fields and keeps every other field of the configuration as it
 * was (runtime image, credentials, scripts URL...), so a save from the form loses nothing.
 */
function configForm(config, editing) {
  const src = config.source || {};
  const st = config.strategy || {};
  const out = config.output || {};
  const name = h('input', { id: 'f-name', value: config.name || '', required: true, readonly: editing, size: 40,
    pattern: '[a-z0-9]([a-z0-9\\-]*[a-z0-9])?' });
  const sourceType = h('select', { id: 'f-source-type' }, h('option', { value: 'Git' }, 'Git repository'), h('option', { value: 'Binary' }, 'Upload (binary)'));
  sourceType.value = src.type === 'Binary' ? 'Binary' : 'Git';
  const uri = h('input', { id: 'f-git-uri', value: (src.git || {}).uri || '', size: 60 });
  const ref = h('input', { id: 'f-git-ref', value: (src.git || {}).ref || '', size: 20, placeholder: 'default branch' });
  const contextDir = h('input', { id: 'f-context-dir', value: src.contextDir || '', size: 30 });
  const asFile = h('input', { id: 'f-as-file', value: (src.binary || {}).asFile || '', size: 30, placeholder: 'keep the uploaded name' });
  const strategyType = h('select', { id: 'f-strategy-type' }, h('option', { value: 'Source' }, 'Source (s2i builder)'), h('option', { value: 'Docker' }, 'Docker (the source\'s Dockerfile)'));
  strategyType.value = st.type === 'Docker' ? 'Docker' : 'Source';
  const builder = h('input', { id: 'f-builder', value: st.builderImage || '', size: 60 });
  const detect = h('input', { type: 'checkbox', id: 'f-detect', checked: !!st.detect });
  const pull = h('select', { id: 'f-pull' }, ['IfNotPresent', 'Always', 'Never'].map((p) => h('option', { value: p }, p)));
  pull.value = st.pullPolicy || 'IfNotPresent';
  const incremental = h('input', { type: 'checkbox', id: 'f-incremental', checked: !!st.incremental });
  const dockerfile = h('input', { id: 'f-dockerfile', value: st.dockerfilePath || '', size: 30, placeholder: 'Dockerfile' });
  const output = h('input', { id: 'f-output', value: out.image || '', size: 60 });
  const push = h('input', { type: 'checkbox', id: 'f-push', checked: !!out.push });
  const policy = h('select', { id: 'f-policy' }, ['Serial', 'Parallel', 'SerialLatestOnly'].map((p) => h('option', { value: p }, p)));
  policy.value = config.runPolicy || 'Serial';

  const envList = h('div', { class: 'env-rows', id: 'f-env' });
  const addEnv = (e = { name: '', value: '' }) => {
    const row = h('div', { class: 'env-row' },
      h('input', { class: 'env-name', value: e.name, placeholder: 'NAME', 'aria-label': 'Variable name' }),
      h('input', { class: 'env-value', value: e.value, placeholder: 'value', 'aria-label': 'Value' }),
      h('label', { class: 'inline' }, h('input', { type: 'checkbox', class: 'env-secret', checked: !!e.secret }), ' secret'),
      h('button', { type: 'button', class: 'small', onclick: () => row.remove() }, 'Remove'));
    envList.append(row);
  };
  (st.env || []).forEach(addEnv);

  const existing = config.triggers || [];
  const hookRows = WEBHOOKS.map((type) => {
    const t = existing.find((x) => x.type === type);
    const on = h('input', { type: 'checkbox', class: 'trigger-on', value: type, checked: !!t });
    const secret = h('input', { class: 'trigger-secret', value: t ? t.secret : '', placeholder: 'secret', size: 40, 'aria-label': type + ' secret' });
    const gen = h('button', { type: 'button', class: 'small', onclick: () => { secret.value = randomSecret(); on.checked = true; } }, 'Generate');
    return { type, on, secret, el: h('div', { class: 'env-row', dataset: { trigger: type } }, h('label', { class: 'inline' }, on, ' ' + type), secret, gen) };
  });
  const imageChange = h('input', { type: 'checkbox', id: 'f-image-change', checked: existing.some((x) => x.type === 'ImageChange') });
  const configChange = h('input', { type: 'checkbox', id: 'f-config-change', checked: existing.some((x) => x.type === 'ConfigChange') });

  const gitOnly = h('div', {}, field('Repository', uri), field('Ref', ref));
  const binOnly = h('div', {}, field('Place a single file as', asFile, 'only for uploads of one file'));
  const sourceOnly = h('div', {}, field('Builder image', builder), h('div', { class: 'row' }, h('label', {}, ''),
    h('label', { class: 'inline' }, detect, ' detect the builder from the source instead')),
  field('Pull policy', pull), h('div', { class: 'row' }, h('label', {}, ''), h('label', { class: 'inline' }, incremental, ' incremental builds')));
  const dockerOnly = h('div', {}, field('Dockerfile path', dockerfile));
  const sync = () => {
    gitOnly.hidden = sourceType.value !== 'Git';
    binOnly.hidden = sourceType.value !== 'Binary';
    sourceOnly.hidden = strategyType.value !== 'Source';
    dockerOnly.hidden = strategyType.value !== 'Docker';
    builder.disabled = detect.checked;
  };
  [sourceType, strategyType, detect].forEach((x) => x.addEventListener('change', sync));
  sync();

  const el = h('form', { class: 'card', id: 'config-form' },
    field('Name', name, editing ? null : 'lower-case letters, digits and -'),
    h('h2', {}, 'Source'), field('From', sourceType), gitOnly, binOnly, field('Context directory', contextDir),
    h('h2', {}, 'Build'), field('Strategy', strategyType), sourceOnly, dockerOnly,
    h('div', { class: 'label' }, 'Environment'), envList,
    h('button', { type: 'button', class: 'small', onclick: () => addEnv() }, 'Add variable'),
    h('h2', {}, 'Output'), field('Image', output), h('div', { class: 'row' }, h('label', {}, ''), h('label', { class: 'inline' }, push, ' push to its registry')),
    field('Run policy', policy),
    h('h2', {}, 'Triggers'), hookRows.map((r) => r.el),
    h('label', { class: 'inline' }, imageChange, ' rebuild when the builder image changes'), ' ',
    h('label', { class: 'inline' }, configChange, ' build when the configuration changes'),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', id: 'form-save' }, editing ? 'Save' : 'Create')));

  const opt = (v) => (v === '' ? undefined : v);
  function value() {
    const c = structuredClone(config);
    c.name = name.value.trim();
    c.source = { ...(c.source || {}), type: sourceType.value, contextDir: opt(contextDir.value.trim()) };
    if (sourceType.value === 'Git') {
      c.source.git = { uri: uri.value.trim(), ref: opt(ref.value.trim()) };
      delete c.source.binary;
    } else {
      delete c.source.git;
      c.source.binary = asFile.value.trim() ? { asFile: asFile.value.trim() } : {};
    }
    c.strategy = { ...(c.strategy || {}), type: strategyType.value };
    if (strategyType.value === 'Source') {
      c.strategy.detect = detect.checked || undefined;
      c.strategy.builderImage = detect.checked ? undefined : builder.value.trim();
      c.strategy.pullPolicy = pull.value;
      c.strategy.incremental = incremental.checked || undefined;
      delete c.strategy.dockerfilePath;
    } else {
      c.strategy.dockerfilePath = opt(dockerfile.value.trim());
      for (const k of ['builderImage', 'detect', 'incremental', 'scriptsUrl', 'runtimeImage', 'runtimeArtifacts']) delete c.strategy[k];
    }
    c.strategy.env = [...envList.querySelectorAll('.env-row')].map((r) => ({
      name: r.querySelector('.env-name').value.trim(), value: r.querySelector('.env-value').value,
      secret: r.querySelector('.env-secret').checked || undefined,
    })).filter((e) => e.name);
    c.output = { ...(c.output || {}), image: output.value.trim(), push: push.checked || undefined };
    c.runPolicy = policy.value;
    const kept = existing.filter((t) => !WEBHOOKS.includes(t.type) && t.type !== 'ImageChange' && t.type !== 'ConfigChange');
    const hooks = hookRows.filter((r) => r.on.checked).map((r) => {
      const old = existing.find((x) => x.type === r.type) || {};
      return { ...old, type: r.type, secret: r.secret.value.trim() };
    });
    const ic = imageChange.checked ? [existing.find((x) => x.type === 'ImageChange') || { type: 'ImageChange' }] : [];
    const cc = configChange.checked ? [{ type: 'ConfigChange' }] : [];
    c.triggers = [...kept, ...hooks, ...ic, ...cc];
    return JSON.parse(JSON.stringify(c));
  }
  return { el, value };
}
