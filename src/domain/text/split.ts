import { fitUnits } from './cut.js';

/**
 * Splits a text into parts of at most `limit` UTF-16 units, preferring line breaks, never
 * cutting a surrogate pair. Always returns at least one non-empty part.
 */
export function splitText(text: string, limit: number): string[] {
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current) parts.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length <= limit) {
      current = candidate;
      continue;
    }
    flush();
    let rest = line;
    while (rest.length > limit) {
      const part = fitUnits(rest, limit);
      parts.push(part);
      rest = rest.slice(part.length);
    }
    current = rest;
  }
  flush();
  return parts.length ? parts : ['（空）'];
}
