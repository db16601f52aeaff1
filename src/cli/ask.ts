import type { AnswerService } from '../app/answer-service.js';
import { inputLines } from '../console/line-reader.js';
import type { Answer } from '../domain/answer.js';

/** The `ask --json` line format: intent, verdict (membership only), matches, reply. */
export function answerJson(answer: Answer): string {
  return JSON.stringify({
    intent: answer.intent,
    ...(answer.intent === 'membership' && answer.verdict ? { verdict: answer.verdict } : {}),
    matches: answer.matches.map((m) => ({ kind: m.kind, name: m.name, city: m.city })),
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
