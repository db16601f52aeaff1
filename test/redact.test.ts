import { describe, expect, it } from 'vitest';
import { holdsSecret, redactError, redactText, registerSecret } from '../src/redact.js';

const TOKEN = '7012345678:AAGx_k3Yq-ExampleSecretPart0123456789';

describe('redactText', () => {
  it('masks tokens, URL secrets and the registered token, also URL-encoded', () => {
    registerSecret('987654:short_secret');
    expect(redactText(`request to http://x/bot${TOKEN}/getMe failed`)).toBe(
      'request to http://x/bot7012345678:[redacted]/getMe failed',
    );
    expect(redactText('token 7012345678%3AAAGx_k3Yq-ExampleSecretPart0123456789 here')).not.toContain('AAGx');
    expect(redactText('http://x/bot987654:short_secret/sendMessage')).not.toContain('short_secret');
    expect(redactText('/bot42:abc/getMe')).toBe('/bot42:[redacted]/getMe');
    expect(redactText('截止 2026-12-15 17:00，电话 0931-1234567')).toBe(
      '截止 2026-12-15 17:00，电话 0931-1234567',
    );
    expect(holdsSecret(TOKEN)).toBe(true);
    expect(holdsSecret('12:30 开会')).toBe(false);
  });
});

describe('redactError', () => {
  it('scrubs message, stack, cause and nested fields in place and keeps the class', () => {
    class FetchError extends Error {
      override name = 'FetchError';
      constructor(
        message: string,
        readonly type: string,
      ) {
        super(message);
      }
    }
    const url = `http://127.0.0.1:1/bot${TOKEN}/getMe`;
    const err = new FetchError(
      `invalid json response body at ${url} reason: Unexpected token <`,
      'invalid-json',
    );
    const outer = Object.assign(new Error('wrapped', { cause: err }), {
      on: { url, payload: { text: 'hi' } },
    });
    const same = redactError(outer);
    expect(same).toBe(outer);
    expect(err).toBeInstanceOf(FetchError);
    const everything = JSON.stringify({ m: err.message, s: err.stack, so: outer.stack, on: outer.on });
    expect(everything).not.toContain('ExampleSecretPart');
    expect(err.message).toContain(
      'invalid json response body at http://127.0.0.1:1/bot7012345678:[redacted]/getMe',
    );
  });

  it('never throws, even for frozen, cyclic or hostile values', () => {
    const frozen = Object.freeze(new Error(`x ${TOKEN}`));
    expect(String((redactError(frozen) as Error).message)).not.toContain('ExampleSecretPart');
    const cyclic: Record<string, unknown> = { text: TOKEN };
    cyclic.self = cyclic;
    expect(() => redactError(cyclic)).not.toThrow();
    expect(cyclic.text).toBe('7012345678:[redacted]');
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no');
        },
      },
    );
    expect(() => redactError(hostile)).not.toThrow();
    expect(redactError(`plain ${TOKEN}`)).toBe('plain 7012345678:[redacted]');
  });
});
