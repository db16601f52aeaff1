import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs on stderr (stdout belongs to the console chat and the CLI). The bot token
 * never reaches a log line: known fields are redacted and any string holding it is masked.
 */
export function createLogger(
  level: string,
  token?: string,
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  const mask = (s: string) => (token ? s.replaceAll(token, '[redacted]') : s);
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['token', 'botToken', '*.token', '*.botToken'], censor: '[redacted]' },
      ...(token
        ? {
            hooks: {
              // HTTP client errors can carry the request URL, which holds the token.
              logMethod(args: Parameters<pino.LogFn>, method: pino.LogFn) {
                const masked = args.map((a) => (typeof a === 'string' ? mask(a) : a));
                return method.apply(this, masked as Parameters<pino.LogFn>);
              },
            },
            serializers: {
              err: (err: Error) => JSON.parse(mask(JSON.stringify(pino.stdSerializers.err(err)))),
            },
          }
        : {}),
    },
    destination,
  );
}
