import type { Composer, Context } from 'telegraf';
import type { InlineQueryResultArticle } from 'telegraf/types';
import type { Answer } from '../../domain/answer.js';
import { HELP_TEXT } from '../../domain/replies.js';
import { cutText, fitUnits } from '../../domain/text/cut.js';
import { onCallback } from '../callback-data.js';
import { scopeOf } from '../chat-scope.js';
import { type BotEnv, type Command, command } from '../command.js';
import { addressedText, commandArgs, isGroup } from '../context.js';
import { managesHere } from '../filters/place.js';
import { MAX_MESSAGE_LENGTH, sendAnswer } from '../reply.js';
import { helpFor } from '../views/help.js';

/**
 * Questions about the roster: /start /help /check /units /cities /contact /about, free text in
 * private chats, mentions and replies in groups, candidate buttons and inline mode.
 */

/**
 * What an asker sees of an answer: the help with the commands they may use; unit contacts for
 * coordinators (a provincial admin, or the city coordinator of the unit's prefecture) in a
 * private chat.
 */
function personal(ctx: Context, env: BotEnv, answer: Answer): Answer {
  if (answer.reply === HELP_TEXT) return { ...answer, reply: helpFor(ctx, env) };
  const { s } = env;
  const unit = answer.verdict === 'pilot' ? answer.matches[0] : undefined;
  if (!unit?.unitId || !managesHere(ctx, s.permissions, unit.city)) return answer;
  const contact = s.answers.contactOf(unit.unitId);
  if (!contact) return answer;
  const line = `单位联系人（仅协调人可见）：${[contact.person, contact.phone].filter(Boolean).join('，')}`;
  return { ...answer, reply: `${answer.reply}\n${line}` };
}

const send = (ctx: Context, env: BotEnv, answer: Answer) => sendAnswer(ctx, personal(ctx, env, answer));
const sendHelp = (ctx: Context, env: BotEnv) => send(ctx, env, env.s.answers.current().help('help'));

export const startCommand = command({
  name: 'start',
  description: '开始使用',
  who: 'everyone',
  where: 'private',
  hidden: true,
  parse: () => null,
  handle: (ctx, _args, env) => sendHelp(ctx, env),
});

export const helpCommand = command({
  name: 'help',
  description: '使用帮助',
  who: 'everyone',
  where: 'any',
  parse: () => null,
  handle: (ctx, _args, env) => sendHelp(ctx, env),
});

export const checkCommand = command({
  name: 'check',
  description: '查询单位是否为试点单位',
  usage: '单位名',
  example: '民主西路小学',
  who: 'everyone',
  where: 'any',
  parse: commandArgs,
  handle: (ctx, name, env) => send(ctx, env, env.s.answers.current().check(name)),
});

export const unitsCommand = command({
  name: 'units',
  description: '列出某市州的试点单位',
  usage: '市州',
  example: '兰州',
  who: 'everyone',
  where: 'any',
  parse: commandArgs,
  handle: (ctx, place, env) => sendAnswer(ctx, env.s.answers.current().units(place)),
});

export const citiesCommand = command({
  name: 'cities',
  description: '试点城市名单',
  who: 'everyone',
  where: 'any',
  parse: () => null,
  handle: (ctx, _args, env) => sendAnswer(ctx, env.s.answers.current().cities()),
});

export const contactCommand = command({
  name: 'contact',
  description: '试点工作联系人',
  who: 'everyone',
  where: 'any',
  parse: () => null,
  handle: (ctx, _args, env) => sendAnswer(ctx, env.s.answers.current().contact()),
});

export const aboutCommand = command({
  name: 'about',
  description: '试点单位要做什么',
  who: 'everyone',
  where: 'any',
  parse: commandArgs,
  handle: (ctx, topic, env) => sendAnswer(ctx, env.s.answers.current().about(topic)),
});

/** Candidate buttons, inline mode and free text (registered after every command). */
export function membershipFeature(bot: Composer<Context>, env: BotEnv): void {
  const answers = env.s.answers;
  onCallback(bot, 'unit', async (ctx, { unitId }) => {
    const answer = answers.current().forUnit(unitId);
    if (!answer) {
      await ctx.answerCbQuery('名单已更新，这个单位已不在名单中，请重新查询。', { show_alert: true });
      return;
    }
    await ctx.answerCbQuery();
    await send(ctx, env, answer);
  });

  bot.on('inline_query', async (ctx) => {
    const query = ctx.inlineQuery.query.trim();
    const answerer = answers.current();
    const answer = query ? answerer.answer(query) : answerer.cities();
    await ctx.answerInlineQuery(
      inlineResults(answer, (id) => answerer.forUnit(id)),
      {
        cache_time: 60,
        is_personal: false,
      },
    );
  });

  bot.on('text', async (ctx, next) => {
    if (ctx.text.startsWith('/')) return next();
    if (!isGroup(ctx)) return send(ctx, env, answers.answer(ctx.text));
    const text = addressedText(ctx);
    if (text === null) return next();
    return text ? send(ctx, env, answers.answer(text, scopeOf(env.s, ctx))) : sendHelp(ctx, env);
  });
}

/** The membership commands, in menu order. */
export const membershipCommands: readonly Command[] = [
  checkCommand,
  unitsCommand,
  citiesCommand,
  contactCommand,
  aboutCommand,
  helpCommand,
];

function article(id: string, title: string, description: string, text: string): InlineQueryResultArticle {
  return {
    type: 'article',
    id,
    title: cutText(title, 100),
    description: cutText(description, 200),
    input_message_content: { message_text: fitUnits(text, MAX_MESSAGE_LENGTH) },
  };
}

/** Inline results: one article per candidate for ambiguous answers, else the answer itself. */
export function inlineResults(
  answer: Answer,
  forUnit: (id: number) => Answer | null,
): InlineQueryResultArticle[] {
  if (answer.verdict === 'ambiguous') {
    return answer.matches.slice(0, 20).flatMap((m) => {
      const unit = m.unitId === undefined ? null : forUnit(m.unitId);
      return unit ? [article(`u${m.unitId}`, `✅ ${m.name}`, `试点单位 · ${m.city}`, unit.reply)] : [];
    });
  }
  const [first] = answer.reply.split('\n');
  const title =
    answer.verdict === 'pilot' && answer.matches[0]
      ? `✅ ${answer.matches[0].name}`
      : answer.verdict === 'not_pilot'
        ? (first ?? '不在名单中')
        : (first ?? '查询结果');
  return [article('answer', title, answer.reply.split('\n').slice(1, 3).join(' '), answer.reply)];
}
