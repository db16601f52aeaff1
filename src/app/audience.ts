import type { Answerer } from '../domain/answer.js';
import type { AudienceResolver } from '../domain/deadlines/spec.js';

/**
 * Reads a deadline audience: 全部 / all, 试点城市 / pilot-cities, 协调人 / coordinators,
 * a prefecture (兰州, city:兰州市), or units (unit:张掖中学, or names separated by 、).
 */
export function audienceResolver(answerer: Answerer): AudienceResolver {
  return (raw) => {
    const text = raw.normalize('NFKC').trim();
    const lower = text.toLowerCase();
    if (/^(全部|所有|全体|全部试点单位|所有试点单位|all|all-units)$/.test(lower))
      return { audience: { kind: 'all_units' } };
    if (/^(试点城市|各试点城市|pilot-cities)$/.test(lower)) return { audience: { kind: 'pilot_cities' } };
    if (/^(协调人|协调员|省市协调人|coordinators)$/.test(lower))
      return { audience: { kind: 'coordinators' } };
    const city = /^city:(.+)$/i.exec(text)?.[1];
    const unitList = /^unit:(.+)$/i.exec(text)?.[1];
    if (city !== undefined || unitList === undefined) {
      const prefecture = answerer.resolvePrefecture(city ?? text);
      if (prefecture) return { audience: { kind: 'prefecture', prefecture: prefecture.name } };
      if (city !== undefined)
        return {
          error: `没有找到市州「${city}」。可用：${answerer.roster.prefectures.map((p) => p.name).join('、')}。`,
        };
    }
    const ids: number[] = [];
    for (const name of (unitList ?? text)
      .split(/[、,，;；]+/)
      .map((s) => s.trim())
      .filter(Boolean)) {
      const r = answerer.resolveUnit(name);
      if (!r)
        return {
          error: `「${name}」不在试点单位名单中。对象可以是：全部、试点城市、协调人、市州名或单位名。`,
        };
      if ('candidates' in r) {
        return { error: `「${name}」可能是：${r.candidates.map((u) => u.name).join('、')}，请写全称。` };
      }
      if (!ids.includes(r.unit.id)) ids.push(r.unit.id);
    }
    if (!ids.length) return { error: '对象不能为空。' };
    return { audience: { kind: 'units', unitIds: ids } };
  };
}
