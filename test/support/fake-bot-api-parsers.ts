/**
 * Parsers used by the fake Telegram Bot API (see fake-bot-api.ts): formatted text in the three
 * `parse_mode`s, modelled on TDLib's parsers so that the fake rejects what Telegram rejects, with
 * the same error descriptions; and multipart/form-data bodies as telegraf sends them.
 */

/** A message entity as the Bot API returns it (offsets and lengths in UTF-16 code units). */
export interface FakeEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

/** Plain text plus the entities that a parse mode produced from the formatted source. */
export interface FormattedText {
  text: string;
  entities: FakeEntity[];
}

/** Thrown when a parse mode cannot parse the text; `message` is what follows "can't parse entities: ". */
export class EntityParseError extends Error {
  override readonly name = 'EntityParseError';
}

/** UTF-8 byte offset of the UTF-16 index `index` in `text` (Telegram reports byte offsets). */
function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), 'utf8');
}

/** TDLib's `is_space`; `undefined` (past the end) counts as space, like the C string terminator. */
function isSpace(c: string | undefined): boolean {
  return c === undefined || c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\0' || c === '\v';
}

function sortEntities(entities: FakeEntity[]): FakeEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/**
 * Parses `text` according to `parseMode` ('HTML', 'MarkdownV2', 'Markdown', or none).
 * Throws {@link EntityParseError} on malformed markup and a plain Error with message
 * `unsupported parse_mode` for an unknown mode.
 */
export function parseFormatted(text: string, parseMode: string | undefined): FormattedText {
  if (parseMode === undefined || parseMode === '') return { text, entities: [] };
  switch (parseMode.toLowerCase()) {
    case 'html':
      return parseHtml(text);
    case 'markdownv2':
      return parseMarkdownV2(text);
    case 'markdown':
      return parseMarkdown(text);
    default:
      throw new Error('unsupported parse_mode');
  }
}

// ---------------------------------------------------------------------------------------------
// HTML

const HTML_TAGS = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  's',
  'strike',
  'del',
  'u',
  'ins',
  'tg-spoiler',
  'tg-emoji',
  'span',
  'pre',
  'code',
  'blockquote',
]);

const HTML_ENTITY_TYPES: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  u: 'underline',
  ins: 'underline',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  code: 'code',
  pre: 'pre',
};

/** TDLib's `decode_html_entity`: the decoded character and the index after it, or null if none. */
function decodeHtmlEntity(text: string, pos: number): { char: string; end: number } | null {
  let end = pos + 1;
  let code = 0;
  if (text[pos + 1] === '#') {
    end++;
    if (text[pos + 2] === 'x') {
      end++;
      while (end < text.length && /[0-9a-fA-F]/.test(text[end]!)) {
        code = code * 16 + Number.parseInt(text[end]!, 16);
        end++;
      }
    } else {
      while (end < text.length && /[0-9]/.test(text[end]!)) {
        code = code * 10 + Number(text[end]);
        end++;
      }
    }
    if (code === 0 || code >= 0x10ffff || end - pos >= 10) return null;
  } else {
    while (end < text.length && /[A-Za-z]/.test(text[end]!)) end++;
    const name = text.slice(pos + 1, end);
    const named: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
    const value = named[name];
    if (value === undefined) return null;
    code = value;
  }
  if (text[end] === ';') end++;
  return { char: String.fromCodePoint(code), end };
}

function decodeHtmlEntities(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const decoded = text[i] === '&' ? decodeHtmlEntity(text, i) : null;
    if (decoded) {
      out += decoded.char;
      i = decoded.end;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

/** Parses Telegram's HTML dialect (a port of TDLib's `parse_html`). */
export function parseHtml(text: string): FormattedText {
  const n = text.length;
  const entities: FakeEntity[] = [];
  const stack: { tag: string; argument: string; offset: number }[] = [];
  let result = '';
  let i = 0;
  const fail = (message: string): never => {
    throw new EntityParseError(message);
  };
  while (i < n) {
    const c = text[i]!;
    if (c === '&') {
      const decoded = decodeHtmlEntity(text, i);
      if (decoded) {
        result += decoded.char;
        i = decoded.end;
        continue;
      }
    }
    if (c !== '<') {
      result += c;
      i++;
      continue;
    }
    const begin = i;
    i++;
    if (text[i] !== '/') {
      // Start tag.
      while (!isSpace(text[i]) && text[i] !== '>') i++;
      if (i >= n) fail(`Unclosed start tag at byte offset ${byteOffset(text, begin)}`);
      const tag = text.slice(begin + 1, i).toLowerCase();
      if (!HTML_TAGS.has(tag))
        fail(`Unsupported start tag "${tag}" at byte offset ${byteOffset(text, begin)}`);
      let argument = '';
      while (text[i] !== '>') {
        while (i < n && isSpace(text[i])) i++;
        if (text[i] === '>') break;
        const nameBegin = i;
        while (!isSpace(text[i]) && text[i] !== '=') i++;
        const attribute = text.slice(nameBegin, i);
        if (attribute === '') {
          fail(`Empty attribute name in the tag "${tag}" at byte offset ${byteOffset(text, begin)}`);
        }
        while (i < n && isSpace(text[i])) i++;
        if (text[i] !== '=') {
          fail(
            `Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${byteOffset(text, begin)}`,
          );
        }
        i++;
        while (i < n && isSpace(text[i])) i++;
        if (i >= n) fail(`Unclosed start tag "${tag}" at byte offset ${byteOffset(text, begin)}`);
        let value: string;
        const quote = text[i];
        if (quote !== '"' && quote !== "'") {
          const tokenBegin = i;
          while (i < n && /[A-Za-z0-9.-]/.test(text[i]!)) i++;
          value = text.slice(tokenBegin, i).toLowerCase();
          if (i < n && !isSpace(text[i]) && text[i] !== '>') {
            fail(`Unexpected end of name token at byte offset ${byteOffset(text, tokenBegin)}`);
          }
        } else {
          const end = text.indexOf(quote, i + 1);
          if (end < 0) fail(`Unclosed start tag at byte offset ${byteOffset(text, begin)}`);
          value = decodeHtmlEntities(text.slice(i + 1, end));
          i = end + 1;
        }
        if (tag === 'a' && attribute === 'href') argument = value;
        else if (tag === 'code' && attribute === 'class' && value.startsWith('language-'))
          argument = value.slice(9);
        else if (tag === 'span' && attribute === 'class' && value.startsWith('tg-'))
          argument = value.slice(3);
        else if (tag === 'tg-emoji' && attribute === 'emoji-id') argument = value;
        else if (tag === 'blockquote' && attribute === 'expandable') argument = '1';
      }
      if (tag === 'span' && argument !== 'spoiler') {
        fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(text, begin)}`);
      }
      stack.push({ tag, argument, offset: result.length });
      i++;
    } else {
      // End tag.
      if (stack.length === 0) fail(`Unexpected end tag at byte offset ${byteOffset(text, begin)}`);
      i++;
      const nameBegin = i;
      while (!isSpace(text[i]) && text[i] !== '>') i++;
      const endTag = text.slice(nameBegin, i).toLowerCase();
      while (i < n && isSpace(text[i])) i++;
      if (text[i] !== '>') fail(`Unclosed end tag at byte offset ${byteOffset(text, begin)}`);
      const open = stack.pop()!;
      if (endTag !== '' && endTag !== open.tag) {
        fail(
          `Unmatched end tag at byte offset ${byteOffset(text, begin)}, expected "</${open.tag}>", found "</${endTag}>"`,
        );
      }
      i++;
      const length = result.length - open.offset;
      if (length > 0) entities.push(htmlEntity(open, length, result, entities));
    }
  }
  if (stack.length > 0)
    fail(`Can't find end tag corresponding to start tag "${stack[stack.length - 1]!.tag}"`);
  return { text: result, entities: sortEntities(entities.filter((e) => e.length > 0)) };
}

function htmlEntity(
  open: { tag: string; argument: string; offset: number },
  length: number,
  result: string,
  entities: FakeEntity[],
): FakeEntity {
  const { tag, argument, offset } = open;
  switch (tag) {
    case 'a':
      return { type: 'text_link', offset, length, url: argument || result.slice(offset) };
    case 'tg-emoji':
      return { type: 'custom_emoji', offset, length, custom_emoji_id: argument };
    case 'blockquote':
      return { type: argument ? 'expandable_blockquote' : 'blockquote', offset, length };
    case 'code':
      return argument
        ? { type: 'code', offset, length, language: argument }
        : { type: 'code', offset, length };
    case 'pre': {
      // <pre><code class="language-x">…</code></pre> becomes one pre entity with a language.
      const inner = entities[entities.length - 1];
      if (inner?.type === 'code' && inner.offset === offset && inner.length === length) {
        entities.pop();
        return inner.language
          ? { type: 'pre', offset, length, language: inner.language }
          : { type: 'pre', offset, length };
      }
      return { type: 'pre', offset, length };
    }
    default:
      return { type: HTML_ENTITY_TYPES[tag] ?? tag, offset, length };
  }
}

// ---------------------------------------------------------------------------------------------
// MarkdownV2

type MdType =
  | 'Bold'
  | 'Italic'
  | 'Underline'
  | 'Strikethrough'
  | 'Spoiler'
  | 'TextUrl'
  | 'Code'
  | 'Pre'
  | 'PreCode'
  | 'CustomEmoji';

const MD_ENTITY_TYPES: Record<MdType, string> = {
  Bold: 'bold',
  Italic: 'italic',
  Underline: 'underline',
  Strikethrough: 'strikethrough',
  Spoiler: 'spoiler',
  TextUrl: 'text_link',
  Code: 'code',
  Pre: 'pre',
  PreCode: 'pre',
  CustomEmoji: 'custom_emoji',
};

/** True for an ASCII character that a backslash may escape (TDLib: code 1..126). */
function escapable(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  return code > 0 && code <= 126;
}

function reservedError(c: string): EntityParseError {
  return new EntityParseError(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
}

/**
 * Parses MarkdownV2 (a port of TDLib's `parse_markdown_v2`, including `>` / `**>` blockquote
 * line prefixes and the `||` end marker of an expandable blockquote; blockquotes yield no entities).
 */
export function parseMarkdownV2(text: string): FormattedText {
  const n = text.length;
  const entities: FakeEntity[] = [];
  const stack: { type: MdType; argument: string; offset: number; byteBegin: number }[] = [];
  let result = '';
  let quoteLine = false;
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    const top = stack[stack.length - 1];
    const inCode = top?.type === 'Code' || top?.type === 'Pre' || top?.type === 'PreCode';
    if (c === '\\' && escapable(text[i + 1])) {
      i++;
      result += text[i];
      continue;
    }
    if (!inCode && (i === 0 || text[i - 1] === '\n')) {
      quoteLine = false;
      if (text.startsWith('**>', i)) {
        quoteLine = true;
        i += 2;
        continue;
      }
      if (c === '>') {
        quoteLine = true;
        continue;
      }
    }
    const reserved = inCode ? '`' : '_*[]()~`>#+-=|{}.!';
    if (!reserved.includes(c)) {
      result += c;
      continue;
    }
    if (
      !inCode &&
      quoteLine &&
      c === '|' &&
      text[i + 1] === '|' &&
      (i + 2 >= n || text[i + 2] === '\n') &&
      top?.type !== 'Spoiler'
    ) {
      i++; // the end marker of an expandable blockquote
      continue;
    }
    let isEnd = false;
    if (top) {
      switch (top.type) {
        case 'Bold':
          isEnd = c === '*';
          break;
        case 'Italic':
          isEnd = c === '_' && text[i + 1] !== '_';
          break;
        case 'Code':
          isEnd = c === '`';
          break;
        case 'Pre':
        case 'PreCode':
          isEnd = c === '`' && text[i + 1] === '`' && text[i + 2] === '`';
          break;
        case 'TextUrl':
        case 'CustomEmoji':
          isEnd = c === ']';
          break;
        case 'Underline':
          isEnd = c === '_' && text[i + 1] === '_';
          break;
        case 'Strikethrough':
          isEnd = c === '~';
          break;
        case 'Spoiler':
          isEnd = c === '|' && text[i + 1] === '|';
          break;
      }
    }
    if (!isEnd) {
      const byteBegin = byteOffset(text, i);
      let type: MdType;
      let argument = '';
      switch (c) {
        case '_':
          if (text[i + 1] === '_') {
            type = 'Underline';
            i++;
          } else {
            type = 'Italic';
          }
          break;
        case '*':
          type = 'Bold';
          break;
        case '~':
          type = 'Strikethrough';
          break;
        case '|':
          if (text[i + 1] !== '|') throw reservedError(c);
          i++;
          type = 'Spoiler';
          break;
        case '[':
          type = 'TextUrl';
          break;
        case '`':
          if (text[i + 1] === '`' && text[i + 2] === '`') {
            i += 3;
            type = 'Pre';
            let languageEnd = i;
            while (!isSpace(text[languageEnd]) && text[languageEnd] !== '`') languageEnd++;
            if (i !== languageEnd && languageEnd < n && text[languageEnd] !== '`') {
              type = 'PreCode';
              argument = text.slice(i, languageEnd);
              i = languageEnd;
            }
            // One line break right after the opening ``` is not part of the text.
            if (text[i] === '\n' || text[i] === '\r') {
              if ((text[i + 1] === '\n' || text[i + 1] === '\r') && text[i] !== text[i + 1]) i += 2;
              else i++;
            }
            i--;
          } else {
            type = 'Code';
          }
          break;
        case '!':
          if (text[i + 1] !== '[') throw reservedError(c);
          i++;
          type = 'CustomEmoji';
          break;
        default:
          throw reservedError(c);
      }
      stack.push({ type, argument, offset: result.length, byteBegin });
      continue;
    }
    const open = stack.pop()!;
    let url = '';
    switch (open.type) {
      case 'Underline':
      case 'Spoiler':
        i++;
        break;
      case 'Pre':
      case 'PreCode':
        i += 2;
        break;
      case 'TextUrl':
      case 'CustomEmoji':
        if (text[i + 1] !== '(') {
          if (open.type === 'CustomEmoji')
            throw new EntityParseError('Custom emoji entity must contain a tg://emoji URL');
          url = result.slice(open.offset);
          break;
        }
        i += 2;
        {
          const urlBegin = i;
          while (i < n && text[i] !== ')') {
            if (text[i] === '\\' && escapable(text[i + 1])) {
              url += text[i + 1];
              i += 2;
              continue;
            }
            url += text[i];
            i++;
          }
          if (text[i] !== ')')
            throw new EntityParseError(
              `Can't find end of a URL at byte offset ${byteOffset(text, urlBegin)}`,
            );
        }
        break;
      default:
        break;
    }
    const length = result.length - open.offset;
    if (length > 0) {
      const entity: FakeEntity = { type: MD_ENTITY_TYPES[open.type], offset: open.offset, length };
      if (open.type === 'PreCode') entity.language = open.argument;
      if (open.type === 'TextUrl') entity.url = url;
      if (open.type === 'CustomEmoji') entity.custom_emoji_id = url.replace(/^tg:\/\/emoji\?id=/, '');
      entities.push(entity);
    }
  }
  const open = stack[stack.length - 1];
  if (open)
    throw new EntityParseError(`Can't find end of ${open.type} entity at byte offset ${open.byteBegin}`);
  return { text: result, entities: sortEntities(entities) };
}

// ---------------------------------------------------------------------------------------------
// Markdown (legacy)

/** Parses legacy Markdown (a port of TDLib's `parse_markdown`). */
export function parseMarkdown(text: string): FormattedText {
  const n = text.length;
  const entities: FakeEntity[] = [];
  let result = '';
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (
      c === '\\' &&
      (text[i + 1] === '_' || text[i + 1] === '*' || text[i + 1] === '`' || text[i + 1] === '[')
    ) {
      i++;
      result += text[i];
      continue;
    }
    if (c !== '_' && c !== '*' && c !== '`' && c !== '[') {
      result += c;
      continue;
    }
    const begin = i;
    const endChar = c === '[' ? ']' : c;
    let isPre = false;
    let language = '';
    i++;
    if (c === '`' && text[i] === '`' && text[i + 1] === '`') {
      i += 2;
      isPre = true;
      let languageEnd = i;
      while (!isSpace(text[languageEnd]) && text[languageEnd] !== '`') languageEnd++;
      if (i !== languageEnd && languageEnd < n && text[languageEnd] !== '`') {
        language = text.slice(i, languageEnd);
        i = languageEnd;
      }
      if (text[i] === '\n' || text[i] === '\r') {
        if ((text[i + 1] === '\n' || text[i + 1] === '\r') && text[i] !== text[i + 1]) i += 2;
        else i++;
      }
    }
    const offset = result.length;
    while (i < n && (text[i] !== endChar || (isPre && !(text[i + 1] === '`' && text[i + 2] === '`')))) {
      result += text[i];
      i++;
    }
    if (i >= n)
      throw new EntityParseError(
        `Can't find end of the entity starting at byte offset ${byteOffset(text, begin)}`,
      );
    const length = result.length - offset;
    if (c === '[') {
      let url = '';
      if (text[i + 1] === '(') {
        const close = text.indexOf(')', i + 2);
        if (close >= 0) {
          url = text.slice(i + 2, close);
          i = close;
        }
      }
      if (length > 0 && url) entities.push({ type: 'text_link', offset, length, url });
    } else if (length > 0) {
      if (isPre) {
        entities.push(language ? { type: 'pre', offset, length, language } : { type: 'pre', offset, length });
      } else {
        entities.push({ type: c === '_' ? 'italic' : c === '*' ? 'bold' : 'code', offset, length });
      }
    }
    if (isPre) i += 2;
  }
  return { text: result, entities: sortEntities(entities) };
}

// ---------------------------------------------------------------------------------------------
// multipart/form-data

/** A file part of a multipart upload. */
export interface UploadedFile {
  /** File name from the part's Content-Disposition (UTF-8), e.g. `报告.xlsx`. */
  filename: string;
  /** The part's Content-Type, or `application/octet-stream` when it has none. */
  contentType: string;
  /** Size of `content` in bytes. */
  size: number;
  content: Buffer;
}

/** True if `value` is an {@link UploadedFile} produced by {@link parseMultipart}. */
export function isUploadedFile(value: unknown): value is UploadedFile {
  return (
    typeof value === 'object' &&
    value !== null &&
    Buffer.isBuffer((value as UploadedFile).content) &&
    typeof (value as UploadedFile).filename === 'string'
  );
}

function dispositionParam(header: string, name: string): string | undefined {
  const extended = new RegExp(`(?:^|;)\\s*${name}\\*\\s*=\\s*([^;]+)`, 'i').exec(header);
  if (extended) {
    const value = extended[1]!.trim();
    const quoteAt = value.indexOf("''");
    try {
      return decodeURIComponent(quoteAt >= 0 ? value.slice(quoteAt + 2) : value);
    } catch {
      return value;
    }
  }
  const quoted = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1');
  const bare = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*([^;\\s]+)`, 'i').exec(header);
  return bare?.[1];
}

/**
 * Parses a multipart/form-data body. Text parts become strings (UTF-8), parts with a
 * `filename` become {@link UploadedFile}s. Throws if the boundary never occurs.
 */
export function parseMultipart(body: Buffer, boundary: string): Record<string, string | UploadedFile> {
  const fields: Record<string, string | UploadedFile> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new Error('multipart boundary not found');
  pos += delimiter.length;
  while (pos < body.length) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing "--"
    // Skip the rest of the delimiter line (transport padding and CRLF).
    const lineEnd = body.indexOf('\r\n', pos);
    if (lineEnd < 0) break;
    const start = lineEnd + 2;
    let end = body.indexOf(nextDelimiter, start);
    if (end < 0) end = body.length;
    const part = body.subarray(start, end);
    let headerEnd: number;
    let content: Buffer;
    if (part[0] === 0x0d && part[1] === 0x0a) {
      headerEnd = 0;
      content = part.subarray(2);
    } else {
      headerEnd = part.indexOf('\r\n\r\n');
      if (headerEnd < 0) headerEnd = part.length;
      content = part.subarray(Math.min(part.length, headerEnd + 4));
    }
    const headers = new Map<string, string>();
    for (const line of part.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const disposition = headers.get('content-disposition') ?? '';
    const name = dispositionParam(disposition, 'name');
    if (name !== undefined) {
      const filename = dispositionParam(disposition, 'filename');
      fields[name] =
        filename === undefined
          ? content.toString('utf8')
          : {
              filename,
              contentType: headers.get('content-type') ?? 'application/octet-stream',
              size: content.length,
              content: Buffer.from(content),
            };
    }
    pos = end + nextDelimiter.length;
  }
  return fields;
}
