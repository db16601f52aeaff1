/** Plain-text tables for the terminal; CJK characters count as two columns. */

const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

function pad(text: string, width: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
}

/** Columns whose header starts with '<' are left-aligned; all others are right-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const left = headers.map((h) => h.startsWith('<'));
  const names = headers.map((h) => h.replace(/^</, ''));
  const widths = names.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => pad(c, widths[i]!, !left[i]))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(names), rule, ...rows.map(line)].join('\n');
}

export function section(title: string): string {
  return `\n${title}\n${'='.repeat(displayWidth(title))}`;
}

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  us: (n: number) =>
    Number.isFinite(n) ? (n < 100 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')) : '-',
  ms: (n: number) =>
    Number.isFinite(n) ? (n < 100 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')) : '-',
  mb: (n: number) => n.toFixed(1),
  pct: (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : '-'),
};
