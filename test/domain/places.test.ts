import { describe, expect, it } from 'vitest';
import { chinaPlaces } from '../../src/domain/places/china.js';
import { canonicalProvince } from '../../src/domain/places/hierarchy.js';
import { resolveCounty, resolvePrefecture, resolveProvince } from '../../src/domain/places/resolve.js';

describe('places of China: one model for the national index and the province tree', () => {
  it('resolves every prefecture and every county of the national index to itself, level by level', () => {
    const places = chinaPlaces().places;
    const prefectures = places.filter((p) => p.level === 'prefecture');
    const counties = places.filter((p) => p.level === 'county' && p.prefecture === '定西市');
    expect(prefectures.length).toBeGreaterThan(300);
    for (const p of prefectures)
      expect(resolvePrefecture(p.name, p.province)).toEqual({ ok: true, name: p.name });
    expect(counties.map((c) => c.name)).toContain('临洮县');
    for (const c of counties)
      expect(resolveCounty(c.name, '定西市', '甘肃省')).toEqual({ ok: true, name: c.name });
  });

  it('reads the short and prefixed forms people write', () => {
    expect(canonicalProvince(' 甘肃 ')).toBe('甘肃省');
    expect(resolveProvince('内蒙古')).toEqual({ ok: true, name: '内蒙古自治区' });
    expect(resolvePrefecture('甘肃省兰州市', '甘肃省')).toEqual({ ok: true, name: '兰州市' });
    expect(resolvePrefecture('临夏州', '甘肃省')).toEqual({ ok: true, name: '临夏回族自治州' });
    expect(resolveCounty('城关', '兰州市', '甘肃省')).toEqual({ ok: true, name: '城关区' });
    expect(resolveCounty('东乡', '临夏回族自治州', '甘肃省')).toEqual({ ok: true, name: '东乡族自治县' });
  });

  it('says why a name does not resolve: a county, another province, another prefecture, or the closest name', () => {
    expect(resolveProvince('甘粛')).toEqual({ ok: false, problem: { kind: 'unknown', guess: '甘肃省' } });
    expect(resolvePrefecture('临洮', '甘肃省')).toEqual({
      ok: false,
      problem: { kind: 'county', prefecture: '定西市' },
    });
    expect(resolvePrefecture('成都市', '甘肃省')).toEqual({
      ok: false,
      problem: { kind: 'other_province', provinces: ['四川省'] },
    });
    expect(resolvePrefecture('兰洲市', '甘肃省')).toEqual({
      ok: false,
      problem: { kind: 'unknown', guess: '兰州市' },
    });
    expect(resolveCounty('临洮县', '兰州市', '甘肃省')).toEqual({
      ok: false,
      problem: { kind: 'other_prefecture', prefectures: ['定西市'] },
    });
  });
});
