import { api, token, ApiError } from './api.js';
import { h, fill, errorLine } from './ui.js';
import { navigate } from './app.js';

export async function render(page, params, query) {
  const input = h('input', { type: 'password', id: 'token', name: 'token', autocomplete: 'current-password',
    required: true, size: 48, placeholder: 'API token' });
  const status = h('div');
  const form = h('form', { class: 'card narrow', id: 'login-form' },
    h('h1', {}, 'Sign in'),
    h('p', {}, 'Paste the API token of this server. ', h('code', {}, 's2i serve'),
      ' keeps it in the file ', h('code', {}, 'token'), ' of its data directory and writes it into the client configuration for ',
      h('code', {}, 's2i login'), '.'),
    h('label', { for: 'token' }, 'Token'), input,
    h('p', { class: 'muted' }, 'The token stays in this tab only (session storage) and is sent in the Authorization header, never in an address.'),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
    status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    fill(status);
    token.set(input.value.trim());
    try {
      await api('/api/v1/overview');
      const next = query.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (err) {
      token.clear();
      fill(status, errorLine(err instanceof ApiError && err.status === 401
        ? 'The server did not accept this token.' : err.message));
    }
  });
  fill(page, form);
  input.focus();
}
