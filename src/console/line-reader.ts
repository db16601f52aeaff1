import { createInterface } from 'node:readline';

/** Yields stdin one line at a time (trailing \r removed); ends at end of input. */
export async function* inputLines(input: NodeJS.ReadableStream = process.stdin): AsyncGenerator<string> {
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
  try {
    for await (const line of rl) yield line.replace(/\r$/, '');
  } finally {
    rl.close();
  }
}
