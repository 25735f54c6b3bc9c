// The REST API with the token of this tab's session. The token travels only in the
// Authorization header: never in a URL, never in localStorage (it ends with the tab).
const KEY = 's2i.token';

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

/** An answer other than 2xx: the status and the API's one-line reason. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function headers(extra = {}) {
  return { ...extra, Authorization: 'Bearer ' + (token.get() || '') };
}

async function reason(res) {
  const text = await res.text();
  try {
    const body = JSON.parse(text);
    if (body && typeof body.error === 'string') return body.error;
  } catch (e) { /* not JSON: fall through */ }
  return (text.split('\n')[0] || res.statusText || 'request failed').slice(0, 300);
}

async function send(path, { method = 'GET', json, text, type, accept, signal, extra = {} } = {}) {
  const h = headers(accept ? { ...extra, Accept: accept } : extra);
  let body;
  if (json !== undefined) {
    body = JSON.stringify(json);
    h['Content-Type'] = 'application/json';
  } else if (text !== undefined) {
    body = text;
    h['Content-Type'] = type || 'application/yaml';
  }
  let res;
  try {
    res = await fetch(path, { method, headers: h, body, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'the server cannot be reached (' + e.message + ')');
  }
  if (!res.ok) throw new ApiError(res.status, await reason(res));
  return res;
}

/** Calls the API; resolves to the parsed JSON answer (null for 204). */
export async function api(path, options) {
  const res = await send(path, options);
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : res.text();
}

/** One page of a build list: the builds, how many match in all, and the next page's cursor. */
export async function page(path, options) {
  const res = await send(path, options);
  return {
    items: await res.json(),
    total: Number(res.headers.get('X-Total-Count') || 0),
    next: res.headers.get('X-Continue'),
  };
}

/** Text (a whole log for download). */
export async function text(path, options) {
  return (await send(path, options)).text();
}

/**
 * Reads server-sent events with fetch (EventSource cannot send the Authorization header, and the
 * token must not go into a URL). Calls onEvent({id, event, data}) for each; resolves when the
 * stream ends. lastId continues after that event, as EventSource's Last-Event-ID does.
 */
export async function events(path, onEvent, { signal, lastId } = {}) {
  const extra = lastId ? { 'Last-Event-ID': String(lastId) } : {};
  const res = await send(path, { accept: 'text/event-stream', signal, extra });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value;
    let end;
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      const ev = { id: null, event: 'message', data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') ev.id = val;
        else if (field === 'event') ev.event = val;
        else if (field === 'data') ev.data += (ev.data ? '\n' : '') + val;
      }
      if (ev.data || ev.id) onEvent(ev);
    }
  }
}

/**
 * Uploads a body with progress (fetch cannot report upload progress; XMLHttpRequest can).
 * onProgress(sentBytes, totalBytes). Resolves to the parsed JSON answer.
 */
export function upload(path, body, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Authorization', 'Bearer ' + (token.get() || ''));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : body.size);
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(xhr.status, (data && data.error) || xhr.statusText || 'upload failed'));
    };
    xhr.onerror = () => reject(new ApiError(0, 'the upload was interrupted: the server cannot be reached'));
    xhr.send(body);
  });
}
