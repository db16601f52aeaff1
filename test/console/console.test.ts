import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runConsoleBot } from '../../src/console/console-bot.js';
import { createLogger } from '../../src/logger.js';
import { type Runtime, runtimeOver } from '../../src/runtime.js';
import { seededMemoryDb } from '../support/db.js';

let runtime: Runtime;
beforeEach(() => {
  runtime = runtimeOver(seededMemoryDb(), 'Asia/Shanghai');
});
afterEach(() => {
  runtime.close();
});

/** Types the lines into the offline console and returns everything it printed, one block per line. */
async function chat(lines: string[], admins: number[] = []): Promise<{ out: string; blocks: string[] }> {
  const output = new PassThrough();
  let out = '';
  output.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const handled = await runConsoleBot(
    runtime,
    { adminUserIds: admins, timeZone: 'Asia/Shanghai' },
    createLogger('silent'),
    Readable.from([`${lines.join('\n')}\n`]),
    output,
  );
  expect(handled).toBe(lines.filter((l) => l.trim() && !l.endsWith('\\')).length);
  return { out, blocks: out.split('\n\n').filter(Boolean) };
}

describe('offline console (the real bot over an in-process transport)', () => {
  it.each([
    ['/start', '可以直接发消息问我'],
    ['/help', '/check 单位名'],
    ['/check 张掖中学', '名单全称：张掖中学（张掖市）'],
    ['/check', '请在 /check 后面写上单位名称'],
    ['/units 兰州', '兰州市（试点城市）共有 15 个试点单位'],
    ['/units 甘肃', '共有 77 个试点单位'],
    ['/cities', '甘肃省的试点城市（甘青科发〔2022〕5号 附件1）共 5 个'],
    ['/contact', '0931-6184271'],
    ['/about', '五大科普行动'],
    ['/deadlines', '截止'],
    ['民主西路小学是试点吗', '✅ 是试点单位。名单全称：兰州市城关区民主西路小学'],
    ['兰州市第五十一中学', '不在试点单位名单中'],
    ['你好', '发送学校或单位的名称'],
  ])('%s', async (line, expected) => {
    const { out } = await chat([line]);
    expect(out).toContain(expected);
  });

  it('shows candidate buttons and presses one by its number', async () => {
    const { blocks } = await chat(['/check 城关小学', '2']);
    expect(blocks[0]).toContain('  [1] 两当县城关小学（陇南市）');
    expect(blocks[0]).toContain('  [2] 静宁县城关小学（平凉市）');
    expect(blocks[0]).toContain('  [3] 临泽县城关小学（张掖市）');
    expect(blocks[1]).toContain('名单全称：静宁县城关小学');
  });

  it('answers a piped file of questions in order, every one (no per-user flood limit offline)', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => (i % 2 ? '张掖中学' : '兰州市第五十一中学'));
    const { blocks } = await chat(lines);
    expect(blocks).toHaveLength(20);
    blocks.forEach((b, i) => {
      expect(b).toContain(i % 2 ? '✅' : '❌');
    });
  });

  it('a number without a keyboard is an ordinary message', async () => {
    const { out } = await chat(['/cities', '7']);
    expect(out).not.toContain('名单全称');
    expect(out).toContain('没有看懂');
  });

  it('answers several schools in one message, one line each, as on Telegram', async () => {
    const { blocks } = await chat(['张掖中学和甘州二中是试点吗']);
    const lines = blocks[0]!.split('\n');
    expect(lines[0]).toMatch(/^1\. 张掖中学：✅/);
    expect(lines[1]).toMatch(/^2\. 甘州二中：❌/);
  });

  it('coordinator commands work for the configured admin (multi-line with \\) and are refused to others', async () => {
    const spec = ['/newdeadline\\', '标题：年度工作总结\\', '截止：2099-12-15 17:00\\', '对象：全部'];
    const admin = await chat([...spec, '/deadlines'], [4242]);
    expect(admin.blocks[0]).toContain('✅ 已添加');
    expect(admin.blocks[1]).toContain('年度工作总结');
    const stranger = await chat(spec);
    expect(stranger.out).not.toContain('已添加');
    expect(runtime.ports.deadlines.all().filter((d) => d.title === '年度工作总结')).toHaveLength(1);
  });
});
