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

/** Group commands for binding and deadlines. */
export const GROUP_COMMANDS = [
  { command: 'deadlines', description: '本群相关的截止事项' },
  { command: 'bind', description: '（管理员）申请把本群绑定到市州或单位，需协调人批准' },
  { command: 'unbind', description: '（管理员）解除本群绑定' },
  { command: 'whereami', description: '本群绑定了什么' },
] as const;

/** Coordinators' commands, shown in their private chats only. */
export const COORDINATOR_COMMANDS = [
  { command: 'newdeadline', description: '添加截止事项' },
  { command: 'editdeadline', description: '修改截止事项，如 /editdeadline 3' },
  { command: 'deldeadline', description: '删除截止事项' },
  { command: 'status', description: '某截止事项的完成情况，如 /status 3' },
  { command: 'groups', description: '已绑定的群及其状态' },
  { command: 'invite', description: '为单位或市州生成一次性入群邀请链接' },
  { command: 'pending', description: '等待批准的绑定申请' },
  { command: 'unbind', description: '解除某个群的绑定，如 /unbind 群ID' },
  { command: 'broadcast', description: '向群发通知，如 /broadcast 兰州 内容' },
] as const;

/** Registers the command menus: private chats, groups, and each coordinator's private chat. */
export async function registerCommands(
  telegram: Telegram,
  coordinatorIds: readonly number[],
  logger: { warn(obj: object, msg: string): void },
): Promise<void> {
  const deadlines = { command: 'deadlines', description: '截止事项' };
  await telegram.setMyCommands([...PUBLIC_COMMANDS, deadlines], { scope: { type: 'all_private_chats' } });
  await telegram.setMyCommands([...PUBLIC_COMMANDS, ...GROUP_COMMANDS], {
    scope: { type: 'all_group_chats' },
  });
  for (const chatId of coordinatorIds) {
    try {
      await telegram.setMyCommands([...PUBLIC_COMMANDS, deadlines, ...COORDINATOR_COMMANDS], {
        scope: { type: 'chat', chat_id: chatId },
      });
    } catch (err) {
      // A coordinator who never opened a chat with the bot cannot get a menu yet.
      logger.warn({ err, chatId }, 'could not set the coordinator command menu');
    }
  }
}
