import type { Composer, Context } from 'telegraf';
import type { InlineQueryResultArticle } from 'telegraf/types';
import type { AnswerService } from '../../app/answer-service.js';
import type { DeadlineScope } from '../../app/deadline-view.js';
import type { Answer } from '../../domain/answer.js';
import { cutText, fitUnits } from '../../domain/text/cut.js';
import { MAX_MESSAGE_LENGTH } from '../../domain/text/split.js';
import { onCallback } from '../callback-data.js';
import { addressedText, commandPayload, isGroup } from '../context.js';
import { sendAnswer } from '../reply.js';

/**
 * Questions about the roster: /start /help /check /units /cities /contact /about, free text in
 * private chats, mentions and replies in groups, candidate buttons and inline mode.
 */
export interface MembershipOptions {
  /** Whose deadlines a deadline question in this chat is about. */
  readonly scopeOf?: (ctx: Context) => DeadlineScope;
  /** Adds private details an asker may see (unit contacts for coordinators). */
  readonly enrich?: (ctx: Context, answer: Answer) => Answer;
}

export function membershipFeature(
  bot: Composer<Context>,
  answers: AnswerService,
  options: MembershipOptions = {},
): void {
  const scopeOf = options.scopeOf ?? (() => ({ kind: 'all' }) as const);
  const send = (ctx: Context, answer: Answer) =>
    sendAnswer(ctx, options.enrich ? options.enrich(ctx, answer) : answer);
  const help = () => answers.current().help('help');
  bot.start((ctx) => sendAnswer(ctx, help()));
  bot.help((ctx) => sendAnswer(ctx, help()));
  bot.command('check', (ctx) => send(ctx, answers.current().check(commandPayload(ctx))));
  bot.command('units', (ctx) => sendAnswer(ctx, answers.current().units(commandPayload(ctx))));
  bot.command('cities', (ctx) => sendAnswer(ctx, answers.current().cities()));
  bot.command('contact', (ctx) => sendAnswer(ctx, answers.current().contact()));
  bot.command('about', (ctx) => sendAnswer(ctx, answers.current().about(commandPayload(ctx))));

  onCallback(bot, 'unit', async (ctx, { unitId }) => {
    const answer = answers.current().forUnit(unitId);
    if (!answer) {
      await ctx.answerCbQuery('名单已更新，这个单位已不在名单中，请重新查询。', { show_alert: true });
      return;
    }
    await ctx.answerCbQuery();
    await send(ctx, answer);
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
    if (!isGroup(ctx)) return send(ctx, answers.answer(ctx.text));
    const text = addressedText(ctx);
    if (text === null) return next();
    return send(ctx, text ? answers.answer(text, scopeOf(ctx)) : help());
  });
}

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
