import { describe, expect, it } from 'vitest';
import { Answerer } from '../../src/domain/answer.js';
import { readSpans } from '../../src/domain/sentence.js';
import { gansuRoster } from '../support/roster.js';

const spans = (text: string) => readSpans(text).map((s) => `${s.written}${s.context ? '(context)' : ''}`);

describe('reading the institutions a message names', () => {
  it.each([
    // Connector characters that start a place name join nothing.
    ['吕梁市离石区第十七小学', ['吕梁市离石区第十七小学']],
    ['和政县西关小学是试点吗', ['和政县西关小学']],
    ['武威市凉州区和平街小学', ['武威市凉州区和平街小学']],
    // 那 of 那曲市 / 那坡县 stays; 那 of 那…呢 goes.
    ['那曲市第四十中学', ['那曲市第四十中学']],
    ['五泉小学是试点，那五泉中学呢', ['五泉小学(context)', '五泉中学']],
    // Several schools, in the order written; tails that are only question words are dropped.
    ['张掖中学和甘州中学是试点吗', ['张掖中学', '甘州中学']],
    [
      '兰州一中、西北师大附中、兰州五十二中这三个学校是不是试点',
      ['兰州一中', '西北师大附中', '兰州五十二中'],
    ],
    ['我孩子在金昌二小上学，这个学校是试点吗', ['金昌二小', '这个学校']],
    // Context and contrast.
    ['我在张掖二中，离张掖中学很近，我们是试点吗', ['张掖二中', '张掖中学(context)']],
    ['张掖中学旁边的张掖二中', ['张掖中学(context)', '张掖二中']],
    ['我不是问张掖中学，我问张掖二中', ['张掖中学(context)', '张掖二中']],
    ['我从兰州一中调到兰州五十二中了', ['兰州一中(context)', '兰州五十二中']],
    // Spaces split only after a complete name.
    ['雁宁路 小学', ['雁宁路小学']],
  ])('%s', (text, expected) => {
    expect(spans(text).filter((s) => !/^(我|我们)(\(context\))?$/.test(s))).toEqual(expected);
  });
});

describe('answering what a sentence names', () => {
  const answerer = new Answerer(gansuRoster());

  it('a listed name followed by unrelated words is answered for the name, not as "not listed"', () => {
    const a = answerer.answer('张掖中学今天开会吗');
    expect(a.verdict).toBe('pilot');
    expect(a.matches[0]?.name).toBe('张掖中学');
  });

  it('a name continued into another institution (分部) is not the listed one, and is not quoted whole', () => {
    const a = answerer.answer('张掖中学分部的老师');
    expect(a.verdict).toBe('not_pilot');
    expect(a.reply).not.toContain('的老师');
  });

  it('a county in brackets after a generic name identifies the unit', () => {
    expect(answerer.answer('逸夫小学（庆城县）').matches[0]?.name).toBe('甘肃省庆城县逸夫小学');
    expect(answerer.answer('逸夫小学（庆城县）').verdict).toBe('pilot');
  });
});
