import { createInflateRaw } from 'node:zlib';

/**
 * At most this much uncompressed data in an XLSX (all parts together). A 20,000-row roster of the
 * usual columns is 5-7 MB; exceljs needs about 10× the XML in memory, so this keeps an import of
 * any accepted file under ~300 MB RSS (measured: 10.4 MB of XML → 297 MB).
 */
export const MAX_XLSX_UNCOMPRESSED_BYTES = 8 * 1024 * 1024;

/** The archive is well-formed but over a limit (size, parts, rows): refused, not "corrupt". */
export class XlsxLimitError extends Error {
  override readonly name = 'XlsxLimitError';
}
/** At most this many parts in the archive. */
export const MAX_XLSX_ENTRIES = 2_000;

interface Entry {
  readonly name: string;
  readonly method: number;
  readonly compressed: number;
  readonly declared: number;
  readonly localOffset: number;
}

/** The archive's entries from its central directory; throws a clear Error on anything odd. */
function entries(buf: Buffer): Entry[] {
  const min = Math.max(0, buf.length - 65_557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a ZIP archive (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  const size = buf.readUInt32LE(eocd + 12);
  const offset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff)
    throw new Error('ZIP64 archives are not supported for rosters');
  if (count > MAX_XLSX_ENTRIES)
    throw new XlsxLimitError(`too many parts in the archive (${count}; at most ${MAX_XLSX_ENTRIES})`);
  if (offset + size > buf.length) throw new Error('the central directory lies outside the file');
  const out: Entry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50)
      throw new Error('corrupt central directory');
    const nameLength = buf.readUInt16LE(p + 28);
    out.push({
      method: buf.readUInt16LE(p + 10),
      compressed: buf.readUInt32LE(p + 20),
      declared: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
      name: buf.subarray(p + 46, p + 46 + nameLength).toString('utf8'),
    });
    p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return out;
}

/** A worksheet row element, with or without a namespace prefix (not <rowBreaks>). */
const ROW = /<(?:[A-Za-z_][\w.-]*:)?row[\s>/]/g;

/**
 * Inflates an entry only to measure it, streamed and discarded: its size (stopping as soon as it
 * passes `limit`) and, for a worksheet, its rows (stopping as soon as they pass `maxRows`).
 */
function measure(
  data: Buffer,
  limit: number,
  countRows: boolean,
  maxRows: number,
): Promise<{ size: number; rows: number }> {
  return new Promise((resolve, reject) => {
    const stream = createInflateRaw();
    let size = 0;
    let rows = 0;
    let carry = '';
    const stop = () => {
      stream.destroy();
      resolve({ size, rows });
    };
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop();
      if (!countRows) return;
      // latin1 keeps one character per byte, so tags split across chunks are found via `carry`.
      const text = carry + chunk.toString('latin1');
      rows += text.match(ROW)?.length ?? 0;
      const tail = text.slice(-32);
      // Do not count a tag twice: keep only a tail that cannot contain a whole match already seen.
      const cut = tail.lastIndexOf('<');
      carry = cut >= 0 && !ROW.test(tail.slice(cut)) ? tail.slice(cut) : '';
      ROW.lastIndex = 0;
      if (rows > maxRows) stop();
    });
    stream.on('end', () => resolve({ size, rows }));
    stream.on('error', (err) => reject(new Error(`a part does not inflate: ${err.message}`)));
    stream.end(data);
  });
}

/**
 * Checks an XLSX (ZIP) archive before anything unpacks it: the declared uncompressed sizes must
 * stay within {@link MAX_XLSX_UNCOMPRESSED_BYTES} in total, each part must really inflate to no
 * more than it declares (a zip bomb lies about it), and no worksheet may hold more than
 * `maxRows` rows. Inflation is streamed, discarded and stopped at the first limit passed, so this
 * uses little memory whatever the input. Throws {@link XlsxLimitError} for a limit, Error for a
 * malformed archive, with an English reason.
 */
export async function checkXlsxArchive(
  bytes: Uint8Array,
  maxRows: number,
  limit = MAX_XLSX_UNCOMPRESSED_BYTES,
): Promise<void> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const list = entries(buf);
  const declared = list.reduce((sum, e) => sum + e.declared, 0);
  if (declared > limit)
    throw new XlsxLimitError(
      `it would unpack to ${Math.ceil(declared / 1024 / 1024)} MB (at most ${limit / 1024 / 1024} MB); a roster is far smaller`,
    );
  let actual = 0;
  for (const e of list) {
    const local = e.localOffset;
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50)
      throw new Error(`corrupt part ${e.name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + e.compressed);
    if (data.length !== e.compressed) throw new Error(`part ${e.name} is truncated`);
    const sheet = /^xl\/worksheets\/[^/]+\.xml$/i.test(e.name);
    let size: number;
    let rows = 0;
    if (e.method === 0) {
      size = e.compressed;
      if (sheet) rows = data.toString('latin1').match(ROW)?.length ?? 0;
    } else if (e.method === 8) {
      ({ size, rows } = await measure(data, e.declared, sheet, maxRows));
    } else throw new Error(`part ${e.name} uses an unsupported compression method (${e.method})`);
    if (size > e.declared)
      throw new XlsxLimitError(
        `part ${e.name} unpacks to more than the ${e.declared} bytes it declares (a zip bomb?)`,
      );
    if (rows > maxRows)
      throw new XlsxLimitError(`a worksheet has more than ${maxRows} rows (reading stopped there)`);
    actual += size;
    if (actual > limit) throw new XlsxLimitError(`it unpacks to more than ${limit / 1024 / 1024} MB`);
  }
}
