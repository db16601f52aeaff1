import { crc32, createDeflateRaw } from 'node:zlib';

/**
 * Hostile XLSX files built in memory, small on disk: a ZIP writer (stored central directory,
 * raw-deflate parts) and the two attacks a roster import must refuse — a zip bomb and a sheet
 * with far too many rows.
 */

interface Part {
  readonly name: string;
  /** Raw-deflated bytes. */
  readonly data: Buffer;
  readonly crc: number;
  /** What the archive says the part unpacks to (a bomb may lie). */
  readonly declared: number;
}

/** Deflates `repeat` copies of `chunk` (streamed: never holds the uncompressed whole). */
async function deflateRepeated(
  head: string,
  chunk: string,
  repeat: number,
  tail: string,
): Promise<{ data: Buffer; crc: number; size: number }> {
  const stream = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  stream.on('data', (b: Buffer) => out.push(b));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  let crc = 0;
  let size = 0;
  const write = async (text: string) => {
    const buf = Buffer.from(text);
    crc = crc32(buf, crc);
    size += buf.length;
    if (!stream.write(buf)) await new Promise((r) => stream.once('drain', r));
  };
  await write(head);
  if (!chunk) repeat = 0;
  const perBlock = Math.max(1, Math.floor(65_536 / Math.max(1, chunk.length)));
  const block = chunk.repeat(perBlock);
  let left = repeat;
  while (left > 0) {
    const n = Math.min(left, perBlock);
    await write(n === perBlock ? block : chunk.repeat(n));
    left -= n;
  }
  await write(tail);
  stream.end();
  await done;
  return { data: Buffer.concat(out), crc, size };
}

async function part(name: string, text: string): Promise<Part> {
  const d = await deflateRepeated(text, '', 0, '');
  return { name, data: d.data, crc: d.crc, declared: d.size };
}

/** A ZIP archive of deflated parts. */
function zip(parts: readonly Part[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(p.declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(p.crc >>> 0, 16);
    central.writeUInt32LE(p.data.length, 20);
    central.writeUInt32LE(p.declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.data);
    centrals.push(central, name);
    offset += 30 + name.length + p.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>';
const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>';
const SHEET_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';

const row = (r: number, a: string, b: string, c: string) =>
  `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>${a}</t></is></c><c r="B${r}" t="inlineStr"><is><t>${b}</t></is></c><c r="C${r}" t="inlineStr"><is><t>${c}</t></is></c></row>`;

/**
 * A zip bomb: a worksheet that unpacks to `megabytes` MB of blank cells. With `lie`, the archive
 * declares a tiny size for it (so only inflating reveals it).
 */
export async function zipBomb(megabytes: number, lie: boolean): Promise<Buffer> {
  const sheet = await bombSheet(megabytes);
  return zip([
    await part('[Content_Types].xml', CONTENT_TYPES),
    await part('xl/workbook.xml', WORKBOOK),
    { name: 'xl/worksheets/sheet1.xml', data: sheet.data, crc: sheet.crc, declared: lie ? 4096 : sheet.size },
  ]);
}

/** Deflated bomb sheets by size: the honest and the lying bomb share one (deflating 300 MB takes seconds). */
const bombSheets = new Map<number, ReturnType<typeof deflateRepeated>>();
function bombSheet(megabytes: number): ReturnType<typeof deflateRepeated> {
  let sheet = bombSheets.get(megabytes);
  if (!sheet) {
    const cell = '<c r="A2"/>';
    sheet = deflateRepeated(
      SHEET_HEAD + row(1, '省份', '市州', '单位名称'),
      cell,
      Math.floor((megabytes * 1024 * 1024) / cell.length),
      SHEET_TAIL,
    );
    bombSheets.set(megabytes, sheet);
  }
  return sheet;
}

/** A worksheet with a header and `rows` tiny rows (one empty cell each: ~5 MB for 200,000). */
export async function manyRows(rows: number): Promise<Buffer> {
  let text = SHEET_HEAD + row(1, '省份', '市州', '单位名称');
  for (let r = 2; r <= rows + 1; r++) text += `<row r="${r}"><c/></row>`;
  text += SHEET_TAIL;
  return zip([
    await part('[Content_Types].xml', CONTENT_TYPES),
    await part('xl/workbook.xml', WORKBOOK),
    await part('xl/worksheets/sheet1.xml', text),
  ]);
}
