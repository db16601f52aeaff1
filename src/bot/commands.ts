import type { Telegram } from 'telegraf';

/** Public commands with their Chinese descriptions, as shown in Telegram's command menu. */
export const PUBLIC_COMMANDS = [
  { command: 'check', description: '查询单位是否为试点单位，如 /check 民主西路小学' },
  { command: 'units', description: '列出某市州的试点单位，如 /units 兰州' },
  { command: 'cities', description: '试点城市名单' },
  { command: 'contact', description: '试点工作联系人' },
  { command: 'about', description: '试点单位要做什么' },
  { command: 'help', description: '使用帮助' },
] as const;

/** Registers the command menus: private chats and groups. */
export async function registerCommands(telegram: Telegram): Promise<void> {
  await telegram.setMyCommands([...PUBLIC_COMMANDS], { scope: { type: 'all_private_chats' } });
  await telegram.setMyCommands([...PUBLIC_COMMANDS], { scope: { type: 'all_group_chats' } });
}
