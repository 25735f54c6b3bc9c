// JSON to YAML for the edit page's YAML tab (the server parses it; this only writes it).
// Strings are quoted whenever YAML could read them as anything but that string.

const PLAIN = /^[A-Za-z_/.][A-Za-z0-9_ ./:@+-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

function scalar(v) {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = String(v);
  if (PLAIN.test(s) && !RESERVED.test(s) && !s.endsWith(' ') && !s.includes(': ') && !s.includes(' #')) return s;
  return JSON.stringify(s);
}

function isEmpty(v) {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0)
    || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);
}

function lines(v, indent) {
  const pad = '  '.repeat(indent);
  if (Array.isArray(v)) {
    return v.flatMap((item) => {
      if (item !== null && typeof item === 'object' && !isEmpty(item)) {
        const inner = lines(item, indent + 1);
        return [pad + '- ' + inner[0].trimStart(), ...inner.slice(1)];
      }
      return [pad + '- ' + (isEmpty(item) ? (Array.isArray(item) ? '[]' : '{}') : scalar(item))];
    });
  }
  return Object.entries(v).filter(([, x]) => x !== undefined && x !== null).flatMap(([k, x]) => {
    if (x !== null && typeof x === 'object') {
      if (isEmpty(x)) return [pad + k + ': ' + (Array.isArray(x) ? '[]' : '{}')];
      return [pad + k + ':', ...lines(x, Array.isArray(x) ? indent : indent + 1)];
    }
    return [pad + k + ': ' + scalar(x)];
  });
}

export function toYaml(value) {
  return lines(value, 0).join('\n') + '\n';
}
