import { describe, expect, it } from 'vitest';
import { Answerer } from '../../src/domain/answer.js';
import { readSpans } from '../../src/domain/sentence.js';
import { listLeadIn, stripWrappers } from '../../src/domain/text/wrappers.js';
import { gansuRoster } from '../support/roster.js';

const answerer = new Answerer(gansuRoster());

describe('chat wrappers around a question', () => {
  it.each([
    ['问下哈 临洮县的那个小学在名单上吗', '临洮县的那个小学在名单上吗'],
    ['麻烦问下酒泉三中和玉门三中还有金塔三中哈', '酒泉三中和玉门三中还有金塔三中'],
    ['老师，白银算试点城市不 谢谢', '白银算试点城市不'],
    ['嗯 我想问下逻思智造那家公司是不是试点', '逻思智造那家公司是不是试点'],
    ['请问天水算不算试点城市呀哈', '天水算不算试点城市'],
    ['老师好，临夏中学和康乐中学是试点吗 🙏', '临夏中学和康乐中学是试点吗'],
    ['问下哈 甘肃省是试点吗??', '甘肃省是试点吗'],
    ['我不是问甘州中学哈，我问的是张掖二中', '我不是问甘州中学,我问的是张掖二中'], // NFKC: full-width punctuation becomes ASCII,
  ])('%s → %s', (text, expected) => {
    expect(stripWrappers(text)).toBe(expected);
  });

  it('takes off wrappers written without punctuation, tags and mentions', () => {
    expect(stripWrappers('你好老师我想问一下张掖中学是不是试点单位谢谢')).toBe('张掖中学是不是试点单位');
    expect(stripWrappers('【求助】张掖中学是试点吗')).toBe('张掖中学是试点吗');
    expect(stripWrappers('@机器人 张掖中学是试点吗')).toBe('张掖中学是试点吗');
    expect(answerer.answer('老师你好我们是张掖二中的我们学校是试点吗').reply).toContain('「张掖二中」');
  });

  it('never takes a place or a name apart: 哈密, 额济纳旗, 老师 inside a name', () => {
    expect(stripWrappers('问下哈密市第一中学是试点吗')).toBe('哈密市第一中学是试点吗');
    expect(stripWrappers('额济纳旗一中是试点吗')).toBe('额济纳旗一中是试点吗');
    expect(stripWrappers('兰州市教师进修学校是试点吗')).toBe('兰州市教师进修学校是试点吗');
  });

  it('keeps a message that is only wrappers as it is (the greeting is answered)', () => {
    expect(stripWrappers('老师好 🙏')).toBe('老师好 🙏');
    expect(answerer.answer('老师好 🙏').intent).toBe('greeting');
  });

  it('reads 名单里有没有X as a question about X, never a list question', () => {
    expect(listLeadIn('名单里有没有兰州五十二中')).toBe('兰州五十二中是试点吗');
    expect(listLeadIn('名单里有哪些学校')).toBe('名单里有哪些学校');
    expect(listLeadIn('名单上有张掖中学，那我们张掖二中呢')).toBe('名单上有张掖中学，那我们张掖二中呢');
  });
});

describe('answers through the wrappers', () => {
  const verdict = (text: string) => {
    const a = answerer.answer(text);
    return `${a.intent}/${a.verdict ?? ''} ${a.matches.map((m) => m.name).join('|')}`;
  };

  it('answers a wrapped question as the bare one', () => {
    expect(verdict('问下哈 兰州是试点城市嘛 谢谢')).toBe(verdict('兰州是试点城市嘛'));
    expect(verdict('麻烦问下陇南有哪些学校是试点 谢谢')).toBe(verdict('陇南有哪些学校是试点'));
    expect(verdict('我想咨询下张掖中学是不是试点')).toBe('membership/pilot 张掖中学');
    expect(verdict('逻思智造这个公司是试点吗 谢谢')).toBe('membership/pilot 甘肃逻思智造科技有限公司');
  });

  it('asks for the name when the wrapped question names no school', () => {
    expect(answerer.answer('我想查一下我们学校是不是试点单位').intent).toBe('ask_name');
    expect(answerer.answer('怎么查我们学校是不是试点').intent).toBe('ask_name');
  });

  it('keeps a place with a pointer vague: 兰州那个学校 is not a question about 兰州', () => {
    const a = answerer.answer('兰州那个学校是试点吗');
    expect(a.verdict).not.toBe('pilot');
  });

  it('reads X县有没有试点学校 as the county list question, with or without thanks', () => {
    expect(verdict('临洮县有没有试点学校 谢谢')).toBe(verdict('临洮县有哪些试点学校'));
    expect(answerer.answer('临洮县有没有试点学校').verdict).toBe('ambiguous');
    expect(answerer.answer('会宁县有没有试点学校').verdict).toBe('not_pilot');
  });

  it('reads 咱们省 / 省里 as the province, as 咱们甘肃', () => {
    expect(verdict('请问咱们省有几个试点城市呀')).toBe(verdict('咱们甘肃有几个试点城市'));
    expect(answerer.answer('省里有几个试点城市').intent).toBe('province');
    expect(answerer.answer('省科技馆是试点吗').verdict).toBe('ambiguous');
  });

  it('never answers about the landmark when the school asked about is unnamed (A旁边那个小学)', () => {
    for (const q of [
      '兰州五十二中旁边那个小学是试点吗',
      '伏龙坪小学旁边的那个中学是试点吗',
      '张掖中学隔壁的小学是试点吗',
    ]) {
      const a = answerer.answer(q);
      expect(a.verdict, q).toBeUndefined();
      expect(a.intent, q).toBe('ask_name');
      expect(a.matches, q).toEqual([]);
    }
    expect(answerer.answer('兰州五十二中旁边那个小学是试点吗').reply).toContain(
      '兰州市第五十二中学是试点单位',
    );
  });

  it('reads a grade after the school as part of the question (兰州五十二中上初一), 来着 as a particle', () => {
    expect(verdict('孩子在兰州五十二中上初一，这学校是试点吧')).toBe('membership/pilot 兰州市第五十二中学');
    expect(verdict('我儿子在张掖中学读高二，是试点吗')).toBe('membership/pilot 张掖中学');
    expect(answerer.answer('张掖二中高一是试点吗').verdict).toBe('not_pilot');
    expect(verdict('甘肃逻思智造是不是试点单位来着')).toBe('membership/pilot 甘肃逻思智造科技有限公司');
  });

  it('never quotes a description as a name (一个集团, 一家科技公司)', () => {
    for (const q of ['我们学校和张掖中学是一个集团的，我们是试点吗', '我们是一家科技公司，想申请试点']) {
      const a = answerer.answer(q);
      expect(a.reply, q).not.toMatch(/「一/);
      expect(a.verdict, q).not.toBe('pilot');
    }
  });

  it('answers a duty question from a named unit about duties, a membership one about membership', () => {
    expect(answerer.answer('您好，我是天水市科技馆的，想问下我们要做什么').intent).toBe('about');
    expect(answerer.answer('甘州中学是试点吗，要做什么').verdict).toBe('pilot');
    expect(verdict('榆中青少年活动中心')).toBe('membership/pilot 榆中县青少年活动中心');
  });

  it('reads 名单能发我一份吗 as the list, of the province or of the place named', () => {
    expect(answerer.answer('问下 试点名单能发我一份吗 谢谢').intent).toBe('province');
    expect(answerer.answer('兰州的名单能发一下吗').intent).toBe('list_units');
  });

  it('reads pinyin inside a Chinese question as the name', () => {
    expect(verdict('jiuquan sanzhong是试点吗')).toBe('membership/pilot 酒泉市第三中学');
    expect(verdict('baiyin shisanxiao是试点吗')).toBe('membership/pilot 白银市白银区第十三小学');
    expect(verdict('问下 zhangye zhongxue 是不是试点')).toBe('membership/pilot 张掖中学');
    expect(answerer.answer('zhangye erzhong 是不是试点').verdict).toBeUndefined();
  });

  it('splits 和 before a county of another province that is only two characters of the next name', () => {
    expect(readSpans('临夏中学和康乐中学是试点吗').map((s) => s.written)).toEqual(['临夏中学', '康乐中学']);
    expect(readSpans('和政县西关小学是试点吗').map((s) => s.written)).toEqual(['和政县西关小学']);
  });
});
