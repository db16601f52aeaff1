/**
 * Fuzzy matching of a mistyped place name against the names it may have meant (兰洲市 → 兰州市,
 * 甘粛 → 甘肃省), for "did you mean" hints.
 */

const GENERIC_CHARS = new Set([...'省市州县区自治族盟地旗新']);

/** Levenshtein distance over code points. */
function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[y.length] ?? 0;
}

/** A place name without its level (兰州市 → 兰州, 甘肃省 → 甘肃), for comparing names. */
const bare = (name: string) => name.replace(/(省|市|自治区|自治州|自治县|州|地区|盟|县|区|旗)$/, '') || name;

function likeness(value: string, candidate: string): number {
  const chars = new Set(value);
  const other = new Set(candidate);
  const common = [...chars].filter((c) => other.has(c));
  if (!common.some((c) => !GENERIC_CHARS.has(c))) return 0;
  const share = common.length / new Set([...chars, ...other]).size;
  const similarity = 1 - editDistance(value, candidate) / Math.max([...value].length, [...candidate].length);
  return (share + similarity) / 2;
}

/**
 * The candidate closest to `value` (兰洲市 → 兰州市, 甘粛 → 甘肃省), or null when none is close: by
 * edit distance and the share of characters in common, with and without the level suffix, never on
 * generic characters alone (市, 县).
 */
export function closestName(value: string, candidates: readonly string[]): string | null {
  let best: { name: string; score: number } | null = null;
  for (const candidate of candidates) {
    const score = Math.max(likeness(value, candidate), likeness(bare(value), bare(candidate)));
    if (score >= 0.4 && (!best || score > best.score)) best = { name: candidate, score };
  }
  return best?.name ?? null;
}
