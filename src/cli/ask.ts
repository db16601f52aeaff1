import type { AnswerService } from '../app/answer-service.js';
import { inputLines } from '../console/line-reader.js';
import type { Answer, MatchEntry } from '../domain/answer.js';

const entry = (m: MatchEntry) => ({ kind: m.kind, name: m.name, city: m.city });

/**
 * The `ask --json` line format: intent, verdict (membership only), matches, reply; for several
 * schools in one message `"verdict": "multiple"` and `results` (one per school, in order); `scope`
 * for province questions, `topic` for about questions.
 */
export function answerJson(answer: Answer): string {
  return JSON.stringify({
    intent: answer.intent,
    ...(answer.intent === 'membership' && answer.verdict ? { verdict: answer.verdict } : {}),
    matches: answer.matches.map(entry),
    ...(answer.results
      ? {
          results: answer.results.map((r) => ({
            query: r.query,
            verdict: r.verdict,
            matches: r.matches.map(entry),
          })),
        }
      : {}),
    ...(answer.scope ? { scope: answer.scope } : {}),
    ...(answer.topic ? { topic: answer.topic } : {}),
    reply: answer.reply,
  });
}

/** Answers TEXT, or each stdin line when TEXT is empty; one answer per output line. */
export async function runAsk(
  answers: AnswerService,
  text: string | undefined,
  json: boolean,
  write: (line: string) => void,
  input: NodeJS.ReadableStream = process.stdin,
): Promise<void> {
  const format = (a: Answer) => (json ? answerJson(a) : a.reply.replaceAll('\n', ' / '));
  if (text !== undefined && text !== '') {
    write(format(answers.answer(text)));
    return;
  }
  for await (const line of inputLines(input)) write(format(answers.answer(line)));
}
