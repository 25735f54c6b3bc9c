// A tar (ustar, with pax records for long names) of the files of a chosen directory, built in the
// browser from <input webkitdirectory>'s File objects without reading them into memory: the Blob
// refers to the files. Browsers do not expose file modes, so files under .s2i/bin/ and *.sh get
// 0755 (the s2i scripts must be executable), others 0644.

const enc = new TextEncoder();

function octal(n, width) {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name, size, type, mode, mtime) {
  const b = new Uint8Array(512);
  const put = (s, off, len) => b.set(enc.encode(s).subarray(0, len), off);
  put(name, 0, 100);
  put(octal(mode, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(mtime, 12), 136, 12);
  put('        ', 148, 8);
  put(type, 156, 1);
  put('ustar\0' + '00', 257, 8);
  let sum = 0;
  for (const x of b) sum += x;
  put(octal(sum, 7) + ' ', 148, 8);
  return b;
}

function pad(size) {
  const rest = size % 512;
  return rest ? new Uint8Array(512 - rest) : null;
}

function paxRecord(key, value) {
  // "LEN key=value\n", where LEN counts the whole record, its own digits included.
  const base = enc.encode(' ' + key + '=' + value + '\n').length;
  let len = base + 1;
  while (base + String(len).length !== len) len = base + String(len).length;
  return len + ' ' + key + '=' + value + '\n';
}

function entry(parts, name, size, type, mode, mtime) {
  if (enc.encode(name).length > 99) {
    const pax = enc.encode(paxRecord('path', name));
    parts.push(header('PaxHeader', pax.length, 'x', 0o644, mtime), pax);
    const p = pad(pax.length);
    if (p) parts.push(p);
    name = name.slice(0, 99);
  }
  parts.push(header(name, size, type, mode, mtime));
}

/**
 * The tar of files (File objects with webkitRelativePath), rooted inside the chosen directory.
 * Resolves to {blob, files, bytes}.
 */
export function tarOf(files) {
  const parts = [];
  const dirs = new Set();
  const now = Math.floor(Date.now() / 1000);
  let count = 0;
  let bytes = 0;
  const sorted = [...files].sort((a, b) => rel(a).localeCompare(rel(b)));
  for (const f of sorted) {
    const path = rel(f);
    if (!path || path.split('/').some((s) => s === '..' || s === '')) continue;
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const d = segments.slice(0, i).join('/') + '/';
      if (!dirs.has(d)) {
        dirs.add(d);
        entry(parts, d, 0, '5', 0o755, now);
      }
    }
    const exec = /(^|\/)\.s2i\/bin\/[^/]+$/.test(path) || path.endsWith('.sh');
    entry(parts, path, f.size, '0', exec ? 0o755 : 0o644, Math.floor((f.lastModified || Date.now()) / 1000));
    parts.push(f);
    const p = pad(f.size);
    if (p) parts.push(p);
    count++;
    bytes += f.size;
  }
  parts.push(new Uint8Array(1024));
  return { blob: new Blob(parts, { type: 'application/x-tar' }), files: count, bytes };
}

/** The path inside the chosen directory (its own name dropped). */
function rel(f) {
  const p = f.webkitRelativePath || f.name;
  const i = p.indexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}

/** The blob gzip-compressed, when the browser can (Chromium can); else as it is. */
export async function gzip(blob) {
  if (typeof CompressionStream === 'undefined') return blob;
  return new Response(blob.stream().pipeThrough(new CompressionStream('gzip'))).blob();
}
