// Small DOM helpers. Text always goes in as text nodes (never innerHTML), so nothing a build log,
// a configuration or a commit message holds can run as markup.

/** h('a', {href: '/x', class: 'y', onclick: fn}, 'text', child...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** An in-app link (the router intercepts it; the address stays a real URL). */
export function link(href, ...children) {
  return h('a', { href, 'data-link': true }, ...children);
}

export const TERMINAL = new Set(['Complete', 'Failed', 'Error', 'Cancelled']);
export const PHASES = ['New', 'Pending', 'Running', 'Complete', 'Failed', 'Error', 'Cancelled'];

/** A build phase as colour and word. */
export function phase(p, reason) {
  return h('span', { class: 'phase phase-' + String(p || 'none').toLowerCase(), title: reason || p || '' },
    h('span', { class: 'dot', 'aria-hidden': 'true' }), p || '—');
}

/** "3 min ago", with the exact time as a tooltip. */
export function when(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const t = new Date(iso);
  return h('time', { datetime: iso, title: t.toLocaleString() }, ago(t));
}

export function ago(t) {
  const s = Math.round((Date.now() - t.getTime()) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.floor(s / 60) + ' min ago';
  if (s < 86400) return Math.floor(s / 3600) + ' h ago';
  return Math.floor(s / 86400) + ' d ago';
}

/** 1.2 s, 3 min 4 s, 1 h 2 min. */
export function duration(ms) {
  if (ms === undefined || ms === null) return '—';
  if (ms < 1000) return ms + ' ms';
  const s = ms / 1000;
  if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return m + ' min ' + Math.round(s % 60) + ' s';
  return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
}

/** The run time of a build, still counting while it runs. */
export function buildDuration(b) {
  if (b.durationMs !== undefined && b.durationMs !== null) return duration(b.durationMs);
  if (b.startedAt && !TERMINAL.has(b.phase)) return duration(Date.now() - new Date(b.startedAt).getTime());
  return '—';
}

export function short(digest, n = 12) {
  if (!digest) return '';
  const i = digest.indexOf(':');
  return i >= 0 ? digest.slice(i + 1, i + 1 + n) : digest.slice(0, n);
}

/** A button that copies text to the clipboard (getText may be async). */
export function copyButton(getText, label = 'Copy') {
  const b = h('button', { type: 'button', class: 'small copy', title: 'Copy to the clipboard' }, label);
  b.addEventListener('click', async () => {
    try {
      const text = typeof getText === 'function' ? await getText() : getText;
      await copyText(text);
      b.textContent = 'Copied';
    } catch (e) {
      b.textContent = 'Copy failed';
    }
    setTimeout(() => { b.textContent = label; }, 1500);
  });
  return b;
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch (e) { /* permission denied: the fallback below */ }
  }
  const ta = h('textarea', { class: 'offscreen', readonly: true }, text);
  document.body.append(ta);
  ta.select();
  document.execCommand('copy');
  ta.remove();
}

/** The one-line error or notice banner at the top of the page. */
export function banner(message, kind = 'error') {
  const el = document.getElementById('banner');
  if (!message) {
    el.hidden = true;
    return;
  }
  el.className = 'banner ' + kind;
  fill(el, message, h('button', { type: 'button', class: 'close', 'aria-label': 'Dismiss', onclick: () => { el.hidden = true; } }, '×'));
  el.hidden = false;
}

/** An inline error line under a form. */
export function errorLine(message) {
  return h('p', { class: 'error-line', role: 'alert' }, message);
}

/** Where a configuration's source comes from, in a few words. */
export function sourceText(config) {
  const s = config.source || {};
  if (s.type === 'Binary') return 'upload' + (s.binary && s.binary.asFile ? ' as ' + s.binary.asFile : '');
  const git = s.git || {};
  return (git.uri || '') + (git.ref ? ' @ ' + git.ref : '') + (s.contextDir ? ' (' + s.contextDir + ')' : '');
}

/** The builder, or what picks it. */
export function builderText(config) {
  const st = config.strategy || {};
  if (st.type === 'Docker') return 'Dockerfile' + (st.dockerfilePath ? ' ' + st.dockerfilePath : '');
  if (st.detect) return 'detected at build time';
  return st.builderImage || '';
}

/** The trigger of a build, in a word or two. */
export function triggerText(b) {
  const t = (b.triggeredBy || [])[0];
  if (!t) return '';
  return t.type === 'Manual' && t.details && t.details.cloneOf ? 'Re-run of ' + t.details.cloneOf : (t.message || t.type);
}

/** Starts a timer that stops by itself once the page it belongs to is gone. */
export function every(ms, fn, page) {
  const id = setInterval(() => {
    if (!page.isConnected) clearInterval(id);
    else fn();
  }, ms);
  return () => clearInterval(id);
}

/** A term and its value, for a <dl class="facts">. */
export function fact(term, value) {
  return [h('dt', {}, term), h('dd', {}, value)];
}
