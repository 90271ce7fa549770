/**
 * Sets every entry's DOS modification time and date of a ZIP archive to a fixed value, in the local file headers and
 * the central directory, so that an XLSX written twice gives the same bytes (exceljs/JSZip stamp entries with "now").
 */
export function stampZip(zip: Buffer, at: Date): Buffer {
  const out = Buffer.from(zip);
  const time = (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2);
  const date = ((at.getUTCFullYear() - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate();
  let eocd = out.length - 22;
  while (eocd >= 0 && out.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a ZIP archive');
  const entries = out.readUInt16LE(eocd + 10);
  let cd = out.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (out.readUInt32LE(cd) !== 0x02014b50) throw new Error('bad ZIP central directory');
    out.writeUInt16LE(time, cd + 12);
    out.writeUInt16LE(date, cd + 14);
    const local = out.readUInt32LE(cd + 42);
    out.writeUInt16LE(time, local + 10);
    out.writeUInt16LE(date, local + 12);
    cd += 46 + out.readUInt16LE(cd + 28) + out.readUInt16LE(cd + 30) + out.readUInt16LE(cd + 32);
  }
  return out;
}

/** The fixed time of a report's files: its knowledge time, else the end of its business date. */
export const reportStamp = (r: { asOf: string; knownAt: string | null }): Date => new Date(r.knownAt ?? `${r.asOf}T23:59:59Z`);
