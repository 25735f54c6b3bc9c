// One build: its facts, output image, stages as a timeline, and the log, followed live over
// server-sent events while the build runs and searchable afterwards.
import { api, events, text } from './api.js';
import { h, fact, fill, link, phase, when, buildDuration, triggerText, copyButton, errorLine, TERMINAL, banner } from './ui.js';
import { timeline } from './timeline.js';
import { navigate, handle } from './app.js';

const ERROR_LINE = /\b(error|fatal|failed|failure|exception|denied)\b|exit (code|status) [1-9]|^E: /i;

export async function render(page, params) {
  const name = params.build;
  let build = await api('/api/v1/builds/' + name);
  const stop = new AbortController();
  const facts = h('section', { class: 'card', id: 'build-facts' });
  const image = h('section', { class: 'card', id: 'build-image' });
  const chart = h('section', { class: 'card', id: 'build-timeline' });
  const actions = h('div', { class: 'actions', id: 'build-actions' });
  const title = h('h1', {});
  // The first lines arrive before the next read of the record would show the build Running.
  const log = logView(name, stop.signal, () => refresh().catch(handle));

  function draw() {
    fill(title, name, ' ', phase(build.phase, build.reason));
    drawFacts(facts, build);
    drawImage(image, build);
    const svg = timeline(build);
    fill(chart, h('h2', {}, 'Stages and steps'), svg || h('p', { class: 'muted' }, TERMINAL.has(build.phase) ? 'No stages were recorded.' : 'No step has finished yet.'));
    drawActions(actions, build, refresh);
    page.dataset.phase = build.phase;
  }
  async function refresh() {
    build = await api('/api/v1/builds/' + name);
    draw();
  }
  fill(page, h('div', { class: 'head' }, title, actions),
    h('div', { class: 'grid' }, facts, image), chart, log.el);
  draw();

  // The build record is small: re-read it every second while it runs, for phase and stages.
  let timer = null;
  const tick = async () => {
    if (!page.isConnected) return;
    try {
      await refresh();
    } catch (e) {
      handle(e);
    }
    if (!TERMINAL.has(build.phase) && page.isConnected) timer = setTimeout(tick, 1000);
  };
  if (!TERMINAL.has(build.phase)) timer = setTimeout(tick, 1000);
  log.follow(TERMINAL.has(build.phase)).then(() => page.isConnected && refresh()).catch(handle);
  return () => {
    stop.abort();
    clearTimeout(timer);
  };
}

function drawFacts(el, b) {
  const rev = b.revision || {};
  const o = b.options || {};
  fill(el, h('h2', {}, 'Build'), h('dl', { class: 'facts' },
    fact('Configuration', link('/configs/' + b.config, b.config)),
    fact('Phase', [phase(b.phase, b.reason), b.reason ? ' ' + b.reason : '']),
    b.message && fact('Message', b.message),
    fact('Trigger', triggerText(b)),
    rev.commit && fact('Commit', [h('code', {}, rev.commit.slice(0, 12)), rev.ref ? ' on ' + rev.ref : '',
      rev.message ? h('div', { class: 'muted' }, rev.message) : '', rev.author ? h('div', { class: 'muted' }, rev.author) : '']),
    o.binary && fact('Upload', o.binary.kind + (o.binary.fileName ? ' ' + o.binary.fileName : '') + ', ' + o.binary.size + ' bytes'),
    (o.env || []).length > 0 && fact('Env overrides', o.env.map((e) => h('div', {}, h('code', {}, e.name + '=' + e.value)))),
    fact('Queued', when(b.createdAt)),
    fact('Started', when(b.startedAt)),
    fact('Duration', h('span', { id: 'build-duration' }, buildDuration(b))),
    b.executor && fact('Executor', b.executor)));
}

function drawImage(el, b) {
  if (!b.outputImage) {
    fill(el, h('h2', {}, 'Output image'), h('p', { class: 'muted' }, 'None yet.'));
    return;
  }
  const pinned = b.imageDigest ? b.outputImage.replace(/:[^/:@]+$/, '') + '@' + b.imageDigest : null;
  fill(el, h('h2', {}, 'Output image'), h('dl', { class: 'facts' },
    fact('Image', [h('code', { id: 'output-image' }, b.outputImage), ' ', copyButton(b.outputImage)]),
    b.imageDigest && fact('Digest', [h('code', { id: 'image-digest' }, b.imageDigest), ' ', copyButton(pinned, 'Copy pinned')]),
    b.imageId && fact('Image id', h('code', { id: 'image-id' }, b.imageId)),
    b.phase !== 'Complete' && fact('', h('span', { class: 'muted' }, b.phase === 'Failed' || b.phase === 'Error' || b.phase === 'Cancelled'
      ? 'The build did not make this image.' : 'The image is made when the build completes.'))));
}

function drawActions(el, b, refresh) {
  const status = h('span');
  const buttons = [];
  if (!TERMINAL.has(b.phase)) {
    const cancel = h('button', { type: 'button', class: 'danger', id: 'cancel-build' }, b.cancelRequested ? 'Cancelling…' : 'Cancel');
    cancel.disabled = !!b.cancelRequested;
    cancel.addEventListener('click', async () => {
      cancel.disabled = true;
      try {
        await api('/api/v1/builds/' + b.name + '/cancel', { method: 'POST' });
        await refresh();
      } catch (e) {
        fill(status, errorLine(e.message));
        cancel.disabled = false;
      }
    });
    buttons.push(cancel);
  } else if (b.options && b.options.binary) {
    buttons.push(link('/configs/' + b.config, 'Upload again to re-run'));
  } else {
    const rerun = h('button', { type: 'button', class: 'primary', id: 'rerun-build' }, 'Re-run');
    rerun.addEventListener('click', async () => {
      rerun.disabled = true;
      try {
        const again = await api('/api/v1/builds/' + b.name + '/clone', { method: 'POST' });
        navigate('/builds/' + again.name);
      } catch (e) {
        fill(status, errorLine(e.message));
        rerun.disabled = false;
      }
    });
    buttons.push(rerun);
  }
  fill(el, buttons, status);
}

/** The log: lines as they come, follow mode, search, first error, download. */
function logView(name, signal, onFirstLine) {
  const lines = [];
  const body = h('div', { class: 'log', id: 'log', role: 'log', tabindex: 0 });
  const count = h('span', { class: 'muted', id: 'log-count' }, '0 lines');
  const followBox = h('input', { type: 'checkbox', id: 'log-follow', checked: true });
  const search = h('input', { type: 'search', id: 'log-search', placeholder: 'Search the log', 'aria-label': 'Search the log' });
  const hits = h('span', { class: 'muted', id: 'log-hits' });
  const prev = h('button', { type: 'button', class: 'small', id: 'log-prev' }, '↑');
  const next = h('button', { type: 'button', class: 'small', id: 'log-next' }, '↓');
  const firstError = h('button', { type: 'button', class: 'small', id: 'log-first-error', disabled: true, title: 'No error line' }, 'First error');
  const download = h('button', { type: 'button', class: 'small', id: 'log-download' }, 'Download');
  const state = h('span', { class: 'muted', id: 'log-state' }, 'connecting…');
  let pending = [];
  let frame = 0;
  let matches = [];
  let current = -1;
  let errorIndex = -1;

  function flush() {
    frame = 0;
    const atBottom = body.scrollHeight - body.scrollTop - body.clientHeight < 40;
    const frag = document.createDocumentFragment();
    for (const l of pending) {
      const err = ERROR_LINE.test(l.line);
      // One element per line, its number drawn by CSS from data-seq: a 5,000-line log is drawn in one go.
      const el = document.createElement('div');
      el.className = err ? 'line err' : 'line';
      el.dataset.seq = l.seq;
      el.title = l.time;
      el.textContent = l.line;
      lines.push({ ...l, el });
      if (err && errorIndex < 0) {
        errorIndex = lines.length - 1;
        firstError.disabled = false;
        firstError.title = 'Line ' + l.seq;
      }
      if (search.value && matchesQuery(l.line)) {
        el.classList.add('hit');
        matches.push(lines.length - 1);
      }
      frag.append(el);
    }
    pending = [];
    body.append(frag);
    fill(count, lines.length + (lines.length === 1 ? ' line' : ' lines'));
    if (search.value) fill(hits, matches.length ? (current + 1) + ' / ' + matches.length : 'no match');
    if (followBox.checked && (atBottom || lines.length < 60)) body.scrollTop = body.scrollHeight;
  }

  function add(l) {
    pending.push(l);
    if (!frame) frame = requestAnimationFrame(flush);
  }

  const matchesQuery = (s) => s.toLowerCase().includes(search.value.toLowerCase());

  function runSearch() {
    for (const i of matches) lines[i].el.classList.remove('hit', 'current');
    matches = [];
    current = -1;
    if (!search.value) {
      fill(hits);
      return;
    }
    lines.forEach((l, i) => {
      if (matchesQuery(l.line)) {
        l.el.classList.add('hit');
        matches.push(i);
      }
    });
    go(matches.length ? 0 : -1);
  }

  function go(i) {
    if (current >= 0 && matches[current] !== undefined) lines[matches[current]].el.classList.remove('current');
    current = i;
    if (i >= 0) {
      followBox.checked = false;
      const el = lines[matches[i]].el;
      el.classList.add('current');
      el.scrollIntoView({ block: 'center' });
    }
    fill(hits, matches.length ? (current + 1) + ' / ' + matches.length : 'no match');
  }

  let debounce = 0;
  search.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(runSearch, 120);
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (matches.length) go((current + (e.shiftKey ? matches.length - 1 : 1)) % matches.length);
    }
  });
  next.addEventListener('click', () => matches.length && go((current + 1) % matches.length));
  prev.addEventListener('click', () => matches.length && go((current + matches.length - 1) % matches.length));
  firstError.addEventListener('click', () => {
    if (errorIndex < 0) return;
    followBox.checked = false;
    for (const l of body.querySelectorAll('.line.jump')) l.classList.remove('jump');
    const el = lines[errorIndex].el;
    el.classList.add('jump');
    el.scrollIntoView({ block: 'center' });
  });
  download.addEventListener('click', async () => {
    try {
      const all = await text('/api/v1/builds/' + name + '/log?timestamps=true');
      const url = URL.createObjectURL(new Blob([all], { type: 'text/plain' }));
      const a = h('a', { href: url, download: name + '.log', hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      banner(e.message);
    }
  });

  function finished() {
    if (frame) cancelAnimationFrame(frame);
    if (pending.length) flush();
    fill(state, 'complete log');
    body.dataset.ended = 'true';
    // Milliseconds from the document's start to the whole log shown (bench/console.sh reads it).
    document.body.dataset.logMs = String(Math.round(performance.now()));
  }

  /**
   * Shows the log: an ended build's in one plain-text answer; a running build's as server-sent
   * events until it ends, reconnecting after the last line seen if the stream drops.
   */
  async function follow(ended) {
    if (ended) {
      const all = await text('/api/v1/builds/' + name + '/log?timestamps=true', { signal });
      const rows = all.split('\n');
      if (rows[rows.length - 1] === '') rows.pop();
      rows.forEach((r, i) => {
        const sp = r.indexOf(' ');
        pending.push({ seq: i + 1, time: r.slice(0, sp), line: r.slice(sp + 1) });
      });
      finished();
      return;
    }
    for (let attempt = 0; attempt < 20 && !signal.aborted; attempt++) {
      let done = false;
      try {
        fill(state, 'following');
        const last = lines.length + pending.length ? (pending.length ? pending[pending.length - 1].seq : lines[lines.length - 1].seq) : 0;
        await events('/api/v1/builds/' + name + '/log?follow=true', (ev) => {
          if (ev.event === 'line') {
            if (!lines.length && !pending.length) onFirstLine();
            add(JSON.parse(ev.data));
          }
          else if (ev.event === 'end') done = true;
        }, { signal, lastId: last || null });
      } catch (e) {
        if (e.name === 'AbortError') return;
        if (e.status && e.status < 500) throw e;
      }
      if (done) {
        finished();
        return;
      }
      fill(state, 'reconnecting…');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  const el = h('section', { class: 'card', id: 'build-log' },
    h('div', { class: 'log-head' }, h('h2', {}, 'Log'), state, count,
      h('label', { class: 'inline' }, followBox, ' follow'),
      search, prev, next, hits, firstError, download),
    body);
  return { el, follow };
}
