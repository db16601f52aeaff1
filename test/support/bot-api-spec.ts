/**
 * Checks a Bot API call against the official machine-readable spec (a subset, copied into
 * test/fixtures/bot-api-10.1.subset.json from the Bot API 10.1 JSON): unknown parameters, unknown
 * fields of objects (e.g. telegraf's `"hide": false` on inline buttons), missing required fields,
 * wrong JSON types, and strings that are not valid UTF-8 (a lone surrogate from `.slice`).
 * Telegram itself ignores some of these; the fake refuses them so the bot sends only what the
 * spec defines.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface SpecField {
  readonly name: string;
  readonly types: readonly string[];
  readonly required: boolean;
}
interface SpecEntry {
  readonly name: string;
  readonly fields?: readonly SpecField[];
  readonly subtypes?: readonly string[];
}
interface Spec {
  readonly version: string;
  readonly methods: Record<string, SpecEntry>;
  readonly types: Record<string, SpecEntry>;
}

export const SPEC_PATH = join(import.meta.dirname, '..', 'fixtures', 'bot-api-10.1.subset.json');
const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as Spec;
export const SPEC_VERSION = spec.version;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first problem with `params` for `method` as a Telegram-like description, or undefined. */
export function specProblem(method: string, params: Record<string, unknown>): string | undefined {
  const entry = spec.methods[method];
  if (!entry) return undefined;
  const fields = new Map((entry.fields ?? []).map((f) => [f.name, f]));
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const field = fields.get(key);
    if (!field) return `unknown parameter "${key}" of ${method}`;
    const problem = check(value, field.types, key, 0);
    if (problem) return problem;
  }
  // Missing required parameters are left to the fake's methods, which answer as Telegram does.
  return undefined;
}

function check(value: unknown, types: readonly string[], path: string, depth: number): string | undefined {
  let first: string | undefined;
  for (const type of types) {
    const problem = checkOne(value, type, path, depth);
    if (!problem) return undefined;
    first ??= problem;
  }
  return first;
}

const isIntString = (v: unknown) => typeof v === 'string' && /^-?\d+$/.test(v);

function checkOne(value: unknown, type: string, path: string, depth: number): string | undefined {
  if (depth > 12) return undefined;
  if (type.startsWith('Array of ')) {
    if (!Array.isArray(value)) return `field "${path}" must be an Array`;
    const inner = type.slice('Array of '.length);
    for (const [i, item] of value.entries()) {
      const problem = checkOne(item, inner, `${path}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  switch (type) {
    case 'String':
      if (typeof value !== 'string') return `field "${path}" must be of type String`;
      return LONE_SURROGATE.test(value) ? `strings must be encoded in UTF-8 (field "${path}")` : undefined;
    case 'Integer':
      return Number.isInteger(value) || isIntString(value)
        ? undefined
        : `field "${path}" must be of type Integer`;
    case 'Float':
      return typeof value === 'number' || (typeof value === 'string' && Number.isFinite(Number(value)))
        ? undefined
        : `field "${path}" must be of type Float`;
    case 'Boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false'
        ? undefined
        : `field "${path}" must be of type Boolean`;
    case 'True':
      return value === true || value === 'true' ? undefined : `field "${path}" must be True`;
    case 'InputFile':
      return typeof value === 'object' && value !== null ? undefined : `field "${path}" must be a file`;
  }
  const entry = spec.types[type];
  if (!entry) return undefined;
  if (entry.subtypes?.length) return check(value, entry.subtypes, path, depth + 1);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `field "${path}" must be an Object (${type})`;
  const fields = new Map((entry.fields ?? []).map((f) => [f.name, f]));
  const record = value as Record<string, unknown>;
  for (const [key, inner] of Object.entries(record)) {
    const field = fields.get(key);
    if (!field) return `can't parse ${type}: unknown field "${key}" in "${path}"`;
    const problem = check(inner, field.types, `${path}.${key}`, depth + 1);
    if (problem) return problem;
  }
  for (const field of fields.values()) {
    if (field.required && record[field.name] === undefined)
      return `can't parse ${type}: field "${field.name}" is required in "${path}"`;
  }
  return undefined;
}
