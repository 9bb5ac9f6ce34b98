/** A decoded form value: Stripe's bracket keys (`metadata[k]=v`, `expand[0]=x`) become nested objects. */
export type FormValue = string | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

/** The parsed form, or the offending key and why it cannot be read. */
export type FormResult = { ok: true; value: FormObject } | { ok: false; param: string; message: string };

const KEY = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;

/** `a[b][]` → ['a', 'b', ''], or undefined when the key is not bracket syntax. */
function keyPath(key: string): string[] | undefined {
  const match = KEY.exec(key);
  if (!match?.[1]) return undefined;
  const rest = match[2] ?? '';
  return [match[1], ...Array.from(rest.matchAll(/\[([^[\]]*)\]/g), (m) => m[1] ?? '')];
}

/** Writes `value` at `path` under `root`; false when a segment is already a plain string. */
function assign(root: FormObject, path: string[], value: string): boolean {
  let node = root;
  for (const [i, raw] of path.entries()) {
    const segment = raw === '' ? String(Object.keys(node).length) : raw;
    if (i === path.length - 1) {
      if (typeof node[segment] === 'object') return false;
      node[segment] = value;
      return true;
    }
    const next = node[segment] ?? {};
    if (typeof next === 'string') return false;
    node[segment] = next;
    node = next;
  }
  return true;
}

/**
 * Parses an `application/x-www-form-urlencoded` body or query string the way Stripe does: nested bracket
 * keys, `[]` appends (as the next numeric index), and a repeated scalar key keeps its last value. A key that
 * is both a scalar and a hash is rejected.
 */
export function parseForm(raw: string): FormResult {
  const value: FormObject = {};
  for (const [key, v] of new URLSearchParams(raw)) {
    const path = keyPath(key);
    if (path === undefined) return { ok: false, param: key, message: `Invalid parameter name: ${key}` };
    if (!assign(value, path, v)) return { ok: false, param: key, message: `Invalid hash: ${key}` };
  }
  return { ok: true, value };
}

/** `form` as JSON with keys sorted at every level: the same parameters in any order print the same. */
export function canonicalJson(form: FormValue): string {
  if (typeof form === 'string') return JSON.stringify(form);
  const entries = Object.entries(form)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`);
  return `{${entries.join(',')}}`;
}
