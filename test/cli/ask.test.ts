import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';

describe('npm run cli -- ask', () => {
  it('answers stdin one JSON object per line, and nothing else on stdout', async () => {
    const input = [
      '民主西路小学是试点吗',
      '城关小学',
      '临夏州',
      '金昌市是试点城市吗',
      '酒泉的试点单位',
      '联系人',
      '',
      '你好',
    ].join('\n');
    const { status, stdout } = await cli(['ask', '--json'], { input: `${input}\n` });
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    const answers = lines.map((l) => JSON.parse(l));
    expect(answers[0]).toMatchObject({
      intent: 'membership',
      verdict: 'pilot',
      matches: [{ kind: 'unit', name: '兰州市城关区民主西路小学', city: '兰州市' }],
    });
    expect(answers[0].reply).toContain('兰州市城关区民主西路小学');
    expect(answers[1].verdict).toBe('ambiguous');
    expect(answers[1].matches.map((m: { name: string }) => m.name)).toEqual([
      '两当县城关小学',
      '静宁县城关小学',
      '临泽县城关小学',
    ]);
    expect(answers[2]).toMatchObject({
      verdict: 'pilot',
      matches: [{ kind: 'city', name: '临夏回族自治州', city: '临夏回族自治州' }],
    });
    expect(answers[3]).toMatchObject({ intent: 'membership', verdict: 'not_pilot', matches: [] });
    expect(answers[3].reply).toContain('金昌市不是试点城市');
    expect(answers[4].intent).toBe('list_units');
    expect(answers[4].matches).toHaveLength(6);
    expect(answers[5]).toMatchObject({ intent: 'contact', matches: [] });
    expect(answers[5]).not.toHaveProperty('verdict');
    expect(answers[7].intent).toBe('greeting');
    for (const a of answers)
      expect(Object.keys(a).every((k) => ['intent', 'verdict', 'matches', 'reply'].includes(k))).toBe(true);
  });

  it('answers whole sentences: several schools, context, province, nation, greeting, no name', async () => {
    const input = [
      '张掖中学和甘州二中是试点吗',
      '我在张掖二中，离张掖中学很近，我们是试点吗',
      '甘肃省有多少试点单位',
      '全国一共多少个试点城市',
      '您好',
      '我们学校是试点吗',
      '能用试点的名义收费吗',
    ].join('\n');
    const { status, stdout } = await cli(['ask', '--json'], { input: `${input}\n` });
    expect(status).toBe(0);
    const [multi, context, province, national, greeting, askName, fee] = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(multi).toMatchObject({
      intent: 'membership',
      verdict: 'multiple',
      results: [
        {
          query: '张掖中学',
          verdict: 'pilot',
          matches: [{ kind: 'unit', name: '张掖中学', city: '张掖市' }],
        },
        { query: '甘州二中', verdict: 'not_pilot', matches: [] },
      ],
    });
    expect(multi.reply.split('\n')[0]).toContain('✅');
    expect(multi.reply.split('\n')[1]).toContain('❌');
    // The school asked about is not listed; the listed one is only context: never a top-level yes.
    expect(context).toMatchObject({ intent: 'membership', verdict: 'not_pilot', matches: [] });
    expect(context.reply).toContain('张掖二中');
    expect(context.reply).not.toContain('很近');
    expect(province).toMatchObject({ intent: 'province', scope: 'gansu' });
    expect(province.matches).toHaveLength(5);
    expect(province.reply).toContain('77 个试点单位');
    expect(national).toMatchObject({ intent: 'province', scope: 'national' });
    expect(national.reply).toContain('103 个试点城市');
    expect(national.reply).toContain('1,198 个试点单位');
    expect(greeting.intent).toBe('greeting');
    expect(askName.intent).toBe('ask_name');
    expect(fee).toMatchObject({ intent: 'about', topic: 'fee' });
    expect(fee.reply.split('\n')[0]).toMatch(/^不可以.*营利/);
  });

  it('answers TEXT given as arguments, in plain text', async () => {
    const { status, stdout } = await cli(['ask', '西北师大']);
    expect(status).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stdout).toContain('名单全称：西北师范大学');
  });

  it('rejects an unknown option with a non-zero status and a message on stderr', async () => {
    const { status, stdout, stderr } = await cli(['ask', '--jsn', 'x']);
    expect(status).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain("unknown option '--jsn'");
  });
});
