import { describe, expect, it } from 'vitest';
import { canonical, simplify } from '../../src/domain/text/normalize.js';
import { ordinalsToDigits, parseChineseNumber } from '../../src/domain/text/numerals.js';

describe('parseChineseNumber', () => {
  it.each([
    ['三', 3],
    ['十', 10],
    ['十三', 13],
    ['二十', 20],
    ['五十二', 52],
    ['五二', 52],
    ['一百零一', 101],
    ['〇', 0],
  ])('%s → %d', (run, n) => expect(parseChineseNumber(run)).toBe(n));
});

describe('ordinals become digits only in context', () => {
  it.each([
    ['兰州市第五十二中学', '兰州市第52中学'],
    ['白银十三小', '白银13小'],
    ['临洮三实小', '临洮3实小'],
    ['实验第二小学', '实验第2小学'],
    ['五二中', '52中'],
    ['武威十中', '武威10中'],
    // Numerals inside proper names stay.
    ['榆中县一悟小学', '榆中县一悟小学'],
    ['永靖县四局小学', '永靖县四局小学'],
    ['镇原县三岔中学', '镇原县三岔中学'],
    ['兰州市城关区五泉小学', '兰州市城关区五泉小学'],
    ['庄浪县北城九年制学校', '庄浪县北城九年制学校'],
    ['两当县城关小学', '两当县城关小学'],
  ])('%s → %s', (input, output) => expect(ordinalsToDigits(input)).toBe(output));
});

describe('canonical form', () => {
  it.each([
    ['兰州交通大学附属中学', '兰州交大附中'],
    ['西北師範大學', '西北师大'],
    ['正宁县山河初级中学', '正宁县山河初中'],
    ['临洮县第三实验小学', '临洮县3实小'],
    ['临夏市实验第二小学', '临夏市实验2小'],
    ['庄浪县北城九年制学校', '庄浪县北城九年制'],
    ['ＸＹ　兰州５２中！', 'xy兰州52中'],
  ])('%s → %s', (input, output) => expect(canonical(input)).toBe(output));

  it('drops zero-width characters, controls and emoji', () => {
    expect(simplify('张\u200b掖\u0007中学🎉\u202e')).toBe('张掖中学');
  });
});
