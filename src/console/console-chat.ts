import type { AnswerService } from '../app/answer-service.js';
import { inputLines } from './line-reader.js';

/**
 * The offline chat: one message per input line, the bot's reply on stdout, through the same
 * answering code as Telegram. Returns at end of input.
 */
export async function runConsoleChat(
  answers: AnswerService,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
  if (interactive) output.write('请输入问题（例如：民主西路小学是试点吗），Ctrl-D 退出。\n> ');
  let count = 0;
  for await (const line of inputLines(input)) {
    if (line.trim()) {
      output.write(`${answers.answer(line).reply}\n\n`);
      count++;
    }
    if (interactive) output.write('> ');
  }
  return count;
}
