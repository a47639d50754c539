/**
 * Just enough of the zip format to extract one entry of the archive H2's `BACKUP TO` writes
 * (stored or deflated, Zip64 for databases over 4 GB), streamed so a large database never sits in
 * memory.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const MAX_64 = 0xffffffff;

/** Writes entry `name` of `zipFile` to `target`; returns its uncompressed size. */
export async function extractZipEntry(zipFile: string, name: string, target: string): Promise<number> {
  const fh = await open(zipFile, 'r');
  let entry: Entry | undefined;
  let dataStart: number;
  try {
    entry = (await centralDirectory(fh)).find((e) => e.name === name);
    if (!entry) throw new Error(`${zipFile} has no entry ${name}`);
    const local = await readAt(fh, entry.localHeaderOffset, 30);
    if (local.readUInt32LE(0) !== 0x04034b50) throw new Error(`${zipFile}: bad local header of ${name}`);
    dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  } finally {
    await fh.close();
  }
  if (entry.method !== 0 && entry.method !== 8) throw new Error(`${zipFile}: unsupported compression method ${entry.method}`);
  const source = createReadStream(zipFile, { start: dataStart, end: dataStart + entry.compressedSize - 1 });
  const out = createWriteStream(target, { flags: 'wx' });
  let written = 0;
  const count = async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      written += chunk.length;
      yield chunk;
    }
  };
  if (entry.method === 8) await pipeline(source, createInflateRaw(), count, out);
  else await pipeline(source, count, out);
  if (written !== entry.size) throw new Error(`${zipFile}: ${name} has ${written} bytes, expected ${entry.size}`);
  return written;
}

async function centralDirectory(fh: FileHandle): Promise<Entry[]> {
  const { size } = await fh.stat();
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(fh, size - tailLength, tailLength);
  const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  let count = tail.readUInt16LE(eocd + 10);
  let offset = tail.readUInt32LE(eocd + 16);
  if (offset === MAX_64 || count === 0xffff) {
    const locator = eocd - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) throw new Error('bad Zip64 end of central directory');
    const record = await readAt(fh, Number(tail.readBigUInt64LE(locator + 8)), 56);
    count = Number(record.readBigUInt64LE(32));
    offset = Number(record.readBigUInt64LE(48));
  }
  const entries: Entry[] = [];
  for (let i = 0; i < count; i += 1) {
    const header = await readAt(fh, offset, 46);
    if (header.readUInt32LE(0) !== 0x02014b50) throw new Error('bad central directory header');
    const nameLength = header.readUInt16LE(28);
    const extraLength = header.readUInt16LE(30);
    const rest = await readAt(fh, offset + 46, nameLength + extraLength);
    entries.push(withZip64({
      name: rest.subarray(0, nameLength).toString('utf8'), method: header.readUInt16LE(10),
      compressedSize: header.readUInt32LE(20), size: header.readUInt32LE(24), localHeaderOffset: header.readUInt32LE(42),
    }, rest.subarray(nameLength)));
    offset += 46 + nameLength + extraLength + header.readUInt16LE(32);
  }
  return entries;
}

/** Zip64 extra field (0x0001): the 64-bit values of the fields saturated in the header, in order. */
function withZip64(entry: Entry, extra: Buffer): Entry {
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) !== 0x0001) continue;
    let field = at + 4;
    const next = () => { const v = Number(extra.readBigUInt64LE(field)); field += 8; return v; };
    if (entry.size === MAX_64) entry.size = next();
    if (entry.compressedSize === MAX_64) entry.compressedSize = next();
    if (entry.localHeaderOffset === MAX_64) entry.localHeaderOffset = next();
  }
  return entry;
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new Error('zip file is truncated');
  return buffer;
}
