// Detection preview: what language a repository or an archive is in, the version it asks for,
// the files that prove it and the builder it would get, before any configuration exists.
import { api, upload } from './api.js';
import { h, fact, fill, errorLine } from './ui.js';
import { prefill } from './page-edit.js';
import { navigate } from './app.js';

export async function render(page) {
  const result = h('section', { id: 'detect-result' });
  const uri = h('input', { id: 'detect-uri', placeholder: 'https://git.example.com/team/app.git', size: 60, required: true });
  const ref = h('input', { id: 'detect-ref', placeholder: 'default branch', size: 20 });
  const gitForm = h('form', { class: 'card', id: 'detect-git' }, h('h2', {}, 'A git repository'),
    h('div', { class: 'row' }, h('label', { for: 'detect-uri' }, 'URL'), uri),
    h('div', { class: 'row' }, h('label', { for: 'detect-ref' }, 'Ref'), ref),
    h('button', { type: 'submit', class: 'primary' }, 'Detect'));
  const file = h('input', { type: 'file', id: 'detect-file', accept: '.tar,.tgz,.gz,.zip,.jar,.war,*/*' });
  const bar = h('progress', { max: 100, value: 0, hidden: true, id: 'detect-progress' });
  const upForm = h('form', { class: 'card', id: 'detect-upload' }, h('h2', {}, 'An archive or a file'),
    h('p', { class: 'muted' }, 'tar, tar.gz or zip of the source; or one file such as a jar, which is built as it is.'),
    file, bar, h('button', { type: 'submit', class: 'primary' }, 'Upload and detect'));

  let source = null;
  const show = (d) => fill(result, answer(d, source));
  const fail = (e) => fill(result, errorLine(e.message));

  gitForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    fill(result, h('p', { class: 'muted' }, 'Detecting…'));
    source = { git: { uri: uri.value.trim(), ref: ref.value.trim() || undefined } };
    try {
      show(await api('/api/v1/detect', { method: 'POST', json: source }));
    } catch (err) {
      fail(err);
    }
  });
  upForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = file.files[0];
    if (!f) return fill(result, errorLine('Choose a file first.'));
    const archive = /\.(tar|tgz|tar\.gz|zip)$/i.test(f.name);
    const q = new URLSearchParams({ as: archive ? 'archive' : 'file' });
    if (!archive) q.set('name', f.name);
    source = { type: 'Binary', binary: archive ? undefined : { asFile: f.name } };
    bar.hidden = false;
    try {
      show(await upload('/api/v1/detect?' + q, f, (sent, total) => { bar.value = total ? Math.round((sent / total) * 100) : 0; }));
    } catch (err) {
      fail(err);
    }
  });

  fill(page, h('div', { class: 'head' }, h('h1', {}, 'Detect a source')),
    h('p', {}, 'See the language, its version, the files that prove it and the builder s2i would use, before creating the configuration.'),
    h('div', { class: 'grid' }, gitForm, upForm), result);
}

function answer(d, source) {
  const langs = d.languages || [];
  const primary = langs[0];
  const b = d.builder;
  const create = h('button', { type: 'button', class: 'primary', id: 'detect-create' }, 'Create a configuration with this');
  create.addEventListener('click', () => {
    const strategy = d.strategy === 'DOCKER' ? { type: 'Docker', dockerfilePath: d.dockerfile ? d.dockerfile.file : undefined }
      : { builderImage: b ? b.image : '' };
    prefill({ source: source.git ? { git: source.git } : { type: 'Binary', binary: (source.binary || {}) }, strategy });
    navigate('/new');
  });
  return h('div', { class: 'card', id: 'detection' }, h('h2', {}, 'Detected'),
    h('dl', { class: 'facts' },
      fact('Language', primary ? primary.language : h('span', { class: 'muted' }, 'none')),
      primary && fact('Version', primary.version ? [primary.version, primary.versionSource ? h('span', { class: 'muted' }, ' from ' + primary.versionSource) : '',
        primary.versionConstraint && primary.versionConstraint !== primary.version ? h('span', { class: 'muted' }, ' (' + primary.versionConstraint + ')') : ''] : 'not recorded by the source'),
      fact('Evidence', langs.length ? langs.map((l) => h('div', {}, h('code', {}, l.marker), ' → ' + l.language)) : 'no marker file'),
      d.dockerfile && fact('Dockerfile', [h('code', {}, d.dockerfile.file), d.dockerfile.from ? ' FROM ' + d.dockerfile.from : '']),
      fact('Strategy', d.strategy === 'DOCKER' ? 'Docker' : 'Source'),
      fact('Builder', b ? [h('code', { id: 'detected-builder' }, b.image), h('div', { class: 'muted' }, b.reason)] : h('span', { class: 'muted' }, 'none chosen')),
      b && (b.others || []).length > 0 && fact('Also fit', b.others.map((o) => h('div', {}, h('code', {}, o.image), ' ', h('span', { class: 'muted' }, o.match + ', ' + o.origin))))),
    d.problem ? errorLine(d.problem.message + (d.problem.fix ? ' Fix: ' + d.problem.fix : '')) : null,
    create);
}
