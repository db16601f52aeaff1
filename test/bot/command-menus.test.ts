import { Telegram } from 'telegraf';
import type { BotCommand, BotCommandScope } from 'telegraf/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS, menuRolesOf } from '../../src/bot/commands.js';
import { syncMenus } from '../../src/bot/menus.js';
import { createLogger } from '../../src/logger.js';
import { type BotHarness, startBotHarness } from '../support/bot-harness.js';

/**
 * The command menus Telegram shows, as the fake Bot API holds them after the bot set them:
 * everyone's private chats, every group, each provincial admin and each city coordinator; a
 * grant or a revocation changes that user's menu at once.
 */

const ADMIN = 10;
const LANZHOU = 11; // city coordinator of 兰州市
const NEWCOMER = 77;

let h: BotHarness;
let tg: Telegram;
beforeEach(async () => {
  h = await startBotHarness({ admins: [ADMIN] });
  h.services.admin.grant({ id: ADMIN, channel: 'telegram' }, LANZHOU, '兰州市');
  tg = new Telegram(h.fake.token, { apiRoot: h.fake.url });
});
afterEach(async () => {
  await h.close();
});

const menu = (scope: BotCommandScope) => tg.getMyCommands({ scope });
const names = (commands: readonly BotCommand[]) => commands.map((c) => c.command);
const chat = (id: number): BotCommandScope => ({ type: 'chat', chat_id: id });
const sync = () => syncMenus(tg, COMMANDS, menuRolesOf(h.services), createLogger('silent'));

const PUBLIC = ['check', 'units', 'cities', 'contact', 'about', 'help', 'deadlines'];
const CITY = ['status', 'groups', 'invite', 'pending', 'unbind', 'export'];
const ADMIN_ONLY = ['newdeadline', 'editdeadline', 'deldeadline', 'broadcast', 'grant', 'revoke', 'audit'];

describe('command menus', () => {
  it('everyone, groups, admins and city coordinators each get the registry’s commands for them', async () => {
    await sync();
    expect(names(await menu({ type: 'all_private_chats' }))).toEqual(PUBLIC);
    expect(names(await menu({ type: 'all_group_chats' }))).toEqual([...PUBLIC, 'bind', 'unbind', 'whereami']);
    const admin = names(await menu(chat(ADMIN)));
    expect(admin.slice(0, PUBLIC.length)).toEqual(PUBLIC);
    expect(new Set(admin.slice(PUBLIC.length))).toEqual(new Set([...CITY, ...ADMIN_ONLY]));
    expect(names(await menu(chat(LANZHOU)))).toEqual([...PUBLIC, ...CITY]);
    expect(await menu(chat(13))).toEqual([]); // anyone else: everyone's menu applies
  });

  it('shows each command with its registry description; every declared command is in a menu', async () => {
    await sync();
    const shown = [
      ...(await menu({ type: 'all_private_chats' })),
      ...(await menu({ type: 'all_group_chats' })),
      ...(await menu(chat(ADMIN))),
    ];
    for (const entry of shown) {
      const declared = COMMANDS.filter((c) => c.name === entry.command);
      expect(
        declared.some(
          (c) =>
            entry.description.includes(c.groupDescription ?? c.description) ||
            entry.description.includes(c.description),
        ),
        entry.command,
      ).toBe(true);
      expect(entry.description.length).toBeLessThanOrEqual(256);
    }
    for (const c of COMMANDS.filter((c) => !c.hidden)) expect(names(shown), c.name).toContain(c.name);
    expect((await menu({ type: 'all_private_chats' }))[0]?.description).toBe(
      '查询单位是否为试点单位，如 /check 民主西路小学',
    );
  });

  it('a grant gives the new city coordinator their menu; a revocation takes it away', async () => {
    await sync();
    await h.handle(h.fake.privateText(ADMIN, `/grant ${NEWCOMER} 天水`));
    expect(String(h.fake.sent(ADMIN).at(-1)?.text)).toContain(`已授权用户 ${NEWCOMER} 为天水市协调人`);
    expect(names(await menu(chat(NEWCOMER)))).toEqual([...PUBLIC, ...CITY]);
    await h.handle(h.fake.privateText(ADMIN, `/revoke ${NEWCOMER}`));
    expect(String(h.fake.sent(ADMIN).at(-1)?.text)).toContain(`已撤销用户 ${NEWCOMER} 的天水市协调人权限`);
    expect(await menu(chat(NEWCOMER))).toEqual([]);
    // Revoking an admin's grant keeps the admin's own menu.
    await h.handle(h.fake.privateText(ADMIN, `/grant ${ADMIN} 兰州`));
    await h.handle(h.fake.privateText(ADMIN, `/revoke ${ADMIN}`));
    expect(names(await menu(chat(ADMIN)))).toContain('grant');
  });

  it('a menu Telegram refuses does not fail the grant', async () => {
    h.fake.failNext('setMyCommands', { kind: 'chat_not_found' });
    await h.handle(h.fake.privateText(ADMIN, `/grant ${NEWCOMER} 天水`));
    expect(String(h.fake.sent(ADMIN).at(-1)?.text)).toContain(`已授权用户 ${NEWCOMER} 为天水市协调人`);
    expect(h.fake.sent(ADMIN)).toHaveLength(1);
    expect(h.services.permissions.cityOf(NEWCOMER)).toBe('天水市');
    expect(await menu(chat(NEWCOMER))).toEqual([]);
  });
});

describe('where and for whom a command is declared', () => {
  const GROUP = -1002000000009;
  const last = (chatId: number) => String(h.fake.sent(chatId).at(-1)?.text);
  it('runs only there: coordinators’ commands in a group are refused, group ones in private explained', async () => {
    await h.handle(h.fake.groupText(GROUP, ADMIN, '/status 1'));
    expect(last(GROUP)).toContain('只对试点协调人开放，并且需要在与机器人的私聊中使用');
    await h.handle(h.fake.privateText(13, '/bind 兰州'));
    expect(last(13)).toContain('请在要接收提醒的群里发送 /bind');
    await h.handle(h.fake.privateText(13, '/whereami'));
    expect(last(13)).toContain('这是私聊');
    await h.handle(h.fake.privateText(LANZHOU, '/grant 5 兰州'));
    expect(last(LANZHOU)).toContain('只对试点协调人开放');
    expect(h.services.permissions.cityOf(5)).toBeNull();
  });
});

describe('/help', () => {
  it('lists the commands the asker may use, from the registry', async () => {
    const helpOf = async (userId: number) => {
      await h.handle(h.fake.privateText(userId, '/help'));
      return String(h.fake.sent(userId).at(-1)?.text);
    };
    const user = await helpOf(13);
    expect(user).toContain('/check 单位名 — 查询单位是否为试点单位');
    expect(user).not.toContain('/status');
    const city = await helpOf(LANZHOU);
    expect(city).toContain('/status 编号 — 某截止事项的完成情况');
    expect(city).not.toContain('/grant');
    expect(await helpOf(ADMIN)).toContain('/grant 用户ID 市州 — 授权市州协调人');
    // Free text asking for help gets the same text.
    await h.handle(h.fake.privateText(LANZHOU, '怎么用'));
    expect(String(h.fake.sent(LANZHOU).at(-1)?.text)).toBe(city);
  });
});
