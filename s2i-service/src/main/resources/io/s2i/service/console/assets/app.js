// The console's router: the address bar holds real paths (/builds/app-7), each drawn by a page
// module into <main>. Pages get (main, params, query) and may return a cleanup function.
import { token, ApiError } from './api.js';
import { banner, h, fill } from './ui.js';

const ROUTES = [
  [/^\/$/, 'configs', () => import('./page-configs.js')],
  [/^\/configs\/?$/, 'configs', () => import('./page-configs.js')],
  [/^\/configs\/([a-z0-9-]+)$/, 'configs', () => import('./page-config.js'), ['name']],
  [/^\/configs\/([a-z0-9-]+)\/edit$/, 'configs', () => import('./page-edit.js'), ['name']],
  [/^\/new$/, 'new', () => import('./page-edit.js')],
  [/^\/builds\/?$/, 'builds', () => import('./page-builds.js')],
  [/^\/builds\/([a-z0-9-]+-[0-9]+)$/, 'builds', () => import('./page-build.js'), ['build']],
  [/^\/detect$/, 'detect', () => import('./page-detect.js')],
  [/^\/login$/, 'login', () => import('./page-login.js')],
];

let cleanup = null;
let generation = 0;

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState({}, '', path);
  else history.pushState({}, '', path);
  render();
}

async function render() {
  const gen = ++generation;
  if (cleanup) {
    try { cleanup(); } catch (e) { /* the old page is gone anyway */ }
    cleanup = null;
  }
  banner(null);
  const path = location.pathname;
  const main = document.getElementById('main');
  const logout = document.getElementById('logout');
  logout.hidden = !token.get();
  if (!token.get() && path !== '/login') {
    navigate('/login?next=' + encodeURIComponent(path + location.search), { replace: true });
    return;
  }
  const route = ROUTES.find(([re]) => re.test(path));
  for (const a of document.querySelectorAll('[data-nav]')) {
    a.classList.toggle('active', !!route && a.dataset.nav === route[1]);
  }
  if (!route) {
    fill(main, h('h1', {}, 'Not found'), h('p', {}, 'No console page at ' + path + '.'));
    return;
  }
  const [re, , load, names = []] = route;
  const m = re.exec(path);
  const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
  const page = h('div', { class: 'page', 'data-page': route[1] });
  fill(main, page);
  try {
    const mod = await load();
    if (gen !== generation) return;
    const result = await mod.render(page, params, new URLSearchParams(location.search));
    if (gen !== generation) {
      if (typeof result === 'function') result();
      return;
    }
    cleanup = typeof result === 'function' ? result : null;
    page.dataset.ready = 'true';
    // Milliseconds from the document's start to this page drawn with its data (bench/console.sh reads it).
    document.body.dataset.readyMs = String(Math.round(performance.now()));
    document.body.dataset.ready = path;
  } catch (e) {
    if (gen !== generation) return;
    handle(e);
    page.dataset.ready = 'error';
    document.body.dataset.ready = path;
  }
}

/** What every page does with an error it does not handle itself. */
export function handle(e) {
  if (e instanceof ApiError && e.status === 401) {
    token.clear();
    navigate('/login?next=' + encodeURIComponent(location.pathname + location.search), { replace: true });
    return;
  }
  if (e && e.name === 'AbortError') return;
  banner(e instanceof ApiError ? e.message : 'The console failed: ' + (e && e.message ? e.message : e));
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-link]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', render);
document.getElementById('logout').addEventListener('click', () => {
  token.clear();
  navigate('/login', { replace: true });
});
// A rejection nobody handled is a bug: shown, and left in the console for the tests to see.
window.addEventListener('unhandledrejection', (e) => handle(e.reason));
render();
