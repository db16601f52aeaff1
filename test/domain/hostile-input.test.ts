import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Answerer } from '../../src/domain/answer.js';
import { gansuRoster } from '../support/roster.js';

const answerer = new Answerer(gansuRoster());
const LIMIT = 4096;

const hostile = [
  '',
  ' ',
  '\u0000\u0001\u0002',
  '\u200b\u200c\u200d\ufeff',
  '\u202e张掖中学\u202c',
  '🎉🏫👩‍🏫',
  "'; DROP TABLE units; --",
  '" OR 1=1 --',
  '<b>张掖中学</b>',
  '%s%n%x',
  '\ud800',
  '张'.repeat(10_000),
  '兰州市第五十二中学'.repeat(1200),
  'a'.repeat(10_000),
  '\n'.repeat(5000),
  '民主西路小学是试点吗'.repeat(500),
];

describe('hostile and random input', () => {
  it.each(hostile.map((t) => [t.slice(0, 20), t]))(
    'never throws and stays within limits: %j',
    (_label, text) => {
      const answer = answerer.answer(text);
      expect(answer.reply.length).toBeGreaterThan(0);
      expect(answer.reply.length).toBeLessThanOrEqual(LIMIT);
    },
  );

  it('answers any Unicode string without throwing, within 4096 characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const answer = answerer.answer(text);
        return answer.reply.length > 0 && answer.reply.length <= LIMIT;
      }),
      { numRuns: 400 },
    );
  });

  it('never claims a pilot for Chinese text that shares no character with the roster', () => {
    const rosterChars = new Set(gansuRoster().units.flatMap((u) => [...u.name]));
    const common =
      '的一是在不了有和人这为上个我以要他时来用们到作地于出就分对成会可发年动同也能下过说产种面而方后多定行法所得经之进着等度家电力里如化自理起物现加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政日那社义事平形相全表间样与关各重线内数正心反你明看原又么利比或但质气向道命此变条只没结意建月公无系很情者最立代想已通并提直题程展果料象员革位入常文总次品式活设及管特件长求老头基资边流级少图统接知较将组见计别她手角期根论运农指几强放决被干做必战先回则任取据处府研';
    const pool = [...common].filter((ch) => !rosterChars.has(ch));
    expect(pool.length).toBeGreaterThan(100);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pool), { minLength: 2, maxLength: 12 }).map((chars) => chars.join('')),
        (text) => answerer.answer(text).verdict !== 'pilot',
      ),
      { numRuns: 500 },
    );
  });
});
