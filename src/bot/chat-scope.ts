import type { Context } from 'telegraf';
import type { DeadlineScope } from '../app/deadline-view.js';
import { threadOf } from './chat-admins.js';
import { isGroup } from './context.js';
import type { BotServices } from './services.js';

/** The deadline scope of a chat: its bound unit or prefecture, else everything. */
export function scopeOf(s: BotServices, ctx: Context): DeadlineScope {
  if (!ctx.chat || !isGroup(ctx)) return { kind: 'all' };
  const binding = s.bindings.forChat(ctx.chat.id, threadOf(ctx));
  if (!binding?.active) return { kind: 'all' };
  if (binding.kind === 'unit' && binding.unitId !== null) return { kind: 'unit', unitId: binding.unitId };
  return { kind: 'prefecture', prefecture: binding.prefecture };
}

/** The name of a roster unit, if it is still listed. */
export function unitNameOf(s: BotServices, unitId: number | null): string | undefined {
  return unitId === null ? undefined : s.answers.current().roster.units.find((u) => u.id === unitId)?.name;
}
