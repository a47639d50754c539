/**
 * Where attachment bytes live: a `BlobStore` on local disk (content-addressed, written to a temp file,
 * fsynced, then renamed) or in an S3-compatible bucket; plus the spooling of an upload in progress
 * (hashed, counted and cut off at the size limit) and the verification of bytes read back.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AttachmentsConfig, S3Settings } from './attachments.config.ts';

/** What a store reports of stored bytes. */
export interface StoredBlob {
  size: number;
  sha256: string;
}

/** A place for attachment bytes, addressed by key. */
export interface BlobStore {
  /** Stores bytes under a key (replacing any); `size` is required by some stores for streams. */
  put(key: string, source: Readable | Buffer, options?: { size?: number }): Promise<StoredBlob>;
  /** The bytes under a key; rejects with `BlobMissingError` when there are none. */
  get(key: string): Promise<Readable>;
  /** Removes the bytes under a key; a missing key is no error. */
  delete(key: string): Promise<void>;
}

/** The key has no bytes in the store. */
export class BlobMissingError extends Error {
  constructor(key: string) {
    super(`No stored bytes under ${key}`);
    this.name = 'BlobMissingError';
  }
}

/** The content address of bytes: `ab/cd/<sha256>`. */
export function contentKey(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`Not a SHA-256: ${sha256}`);
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

function checkKey(key: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/.test(key) || key.split('/').some((p) => p === '..' || p === '.' || p === '')) throw new Error(`Invalid blob key: ${key}`);
  return key;
}

/** Counts and hashes the bytes passing through; fails with `overflow()` past `maxBytes`. */
class Meter extends Transform {
  size = 0;
  private readonly hash = createHash('sha256');
  constructor(private readonly maxBytes = Number.POSITIVE_INFINITY, private readonly overflow: () => Error = () => new Error('too large')) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(this.overflow());
    this.hash.update(chunk);
    done(null, chunk);
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

const toStream = (source: Readable | Buffer): Readable => (Buffer.isBuffer(source) ? Readable.from([source]) : source);

async function fsync(path: string, flags = 'r'): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Attachments on local disk under `<root>/ab/cd/<sha256>`; writes go to `<root>/tmp` first. */
export class LocalBlobStore implements BlobStore {
  /** Folder of temp files (the same file system as the blobs, so renames are atomic). */
  readonly tmpDir: string;
  constructor(readonly root: string) {
    this.tmpDir = join(root, 'tmp');
  }

  /** Writes to a temp file, fsyncs it, renames it into place and fsyncs the folder. */
  async put(key: string, source: Readable | Buffer): Promise<StoredBlob> {
    const target = join(this.root, checkKey(key));
    const tmp = join(this.tmpDir, `${randomUUID()}.part`);
    await mkdir(this.tmpDir, { recursive: true });
    await mkdir(dirname(target), { recursive: true });
    const meter = new Meter();
    try {
      await pipeline(toStream(source), meter, createWriteStream(tmp, { flags: 'wx' }));
      await fsync(tmp, 'r+');
      await rename(tmp, target);
      await fsync(dirname(target));
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    return { size: meter.size, sha256: meter.digest() };
  }

  /** Opens the file of a key. */
  async get(key: string): Promise<Readable> {
    const path = join(this.root, checkKey(key));
    try {
      if (!(await stat(path)).isFile()) throw new BlobMissingError(key);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobMissingError(key);
      throw e;
    }
    return createReadStream(path);
  }

  /** Removes the file of a key. */
  async delete(key: string): Promise<void> {
    await rm(join(this.root, checkKey(key)), { force: true });
  }
}

/** Attachments in an S3-compatible bucket (AWS S3, MinIO with path-style addressing, …). */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region, forcePathStyle: settings.forcePathStyle,
      // Checksums only where S3 requires them: most S3-compatible servers do not take the newer trailing checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.accessKeyId && settings.secretAccessKey ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } } : {}),
    });
  }

  /** Uploads with one PUT (up to 5 GB); a stream needs its `size`. */
  async put(key: string, source: Readable | Buffer, options: { size?: number } = {}): Promise<StoredBlob> {
    const size = Buffer.isBuffer(source) ? source.length : options.size;
    if (size === undefined) throw new Error('S3BlobStore.put needs the size of a stream');
    const meter = new Meter();
    const body = toStream(source).pipe(meter);
    await this.client.send(new PutObjectCommand({ Bucket: this.settings.bucket, Key: checkKey(key), Body: body, ContentLength: size }));
    if (meter.size !== size) throw new Error(`S3 upload of ${key} sent ${meter.size} bytes, expected ${size}`);
    return { size: meter.size, sha256: meter.digest() };
  }

  /** Streams an object. */
  async get(key: string): Promise<Readable> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: checkKey(key) }));
      if (!(out.Body instanceof Readable)) throw new Error(`S3 returned no stream for ${key}`);
      return out.Body;
    } catch (e) {
      if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NoSuchKey') throw new BlobMissingError(key);
      throw e;
    }
  }

  /** Deletes an object. */
  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: checkKey(key) }));
  }

  /** Closes the HTTP connections of the client. */
  destroy(): void {
    this.client.destroy();
  }
}

/** An upload written to a temp file, with its size, SHA-256 and first bytes. */
export interface Spooled extends StoredBlob {
  path: string;
  head: Buffer;
}

/** Bytes `file-type` needs to sniff a type. */
export const SNIFF_BYTES = 4100;

/** Collects the first SNIFF_BYTES and lets `inspect` refuse the upload as soon as they arrived. */
class HeadCheck extends Transform {
  private chunks: Buffer[] = [];
  private length = 0;
  private checked = false;
  head = Buffer.alloc(0);
  constructor(private readonly inspect: (head: Buffer) => Promise<void>) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.checked) return done(null, chunk);
    this.chunks.push(chunk);
    this.length += chunk.length;
    if (this.length < SNIFF_BYTES) return done(null, chunk);
    this.check().then(() => done(null, chunk), done);
  }
  override _flush(done: TransformCallback): void {
    if (this.checked) return done();
    this.check().then(() => done(), done);
  }
  private async check(): Promise<void> {
    this.checked = true;
    this.head = Buffer.concat(this.chunks).subarray(0, SNIFF_BYTES);
    this.chunks = [];
    await this.inspect(this.head);
  }
}

/**
 * Writes an upload to a temp file in `dir` while hashing and counting it. Stops reading and removes
 * the file as soon as it passes `maxBytes` (`tooLarge()`), `inspect` refuses its head, or the source fails.
 * The source is not destroyed, so the caller can still answer the request.
 */
export async function spoolUpload(source: Readable, dir: string, maxBytes: number, tooLarge: () => Error, inspect: (head: Buffer) => Promise<void>): Promise<Spooled> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${randomUUID()}.upload`);
  const meter = new Meter(maxBytes, tooLarge);
  const head = new HeadCheck(inspect);
  const done = pipeline(meter, head, createWriteStream(path, { flags: 'wx' }));
  const onError = (e: Error) => meter.destroy(e);
  const onClose = () => { if (!source.readableEnded) meter.destroy(new Error('The upload was aborted')); };
  source.on('error', onError).once('close', onClose).pipe(meter);
  try {
    await done;
    return { path, size: meter.size, sha256: meter.digest(), head: head.head };
  } catch (e) {
    source.unpipe(meter);
    await rm(path, { force: true });
    throw e;
  } finally {
    source.off('error', onError).off('close', onClose);
  }
}

/** Passes stored bytes through, holding back the last chunk until their size and SHA-256 match the record (else it fails). */
export function verifying(expected: StoredBlob, label: string): Transform {
  const hash = createHash('sha256');
  let size = 0;
  let held: Buffer | undefined;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      hash.update(chunk);
      const previous = held;
      held = chunk;
      done(null, previous);
    },
    flush(done) {
      const actual = { size, sha256: hash.digest('hex') };
      if (actual.size !== expected.size || actual.sha256 !== expected.sha256) {
        return done(new Error(`${label} is corrupt: stored ${actual.size} bytes with SHA-256 ${actual.sha256}, recorded ${expected.size} / ${expected.sha256}`));
      }
      done(null, held);
    },
  });
}

/** Reads a spooled file back as a stream. */
export function readSpooled(spooled: Spooled): Readable {
  return createReadStream(spooled.path);
}

/** The blob store the configuration names. */
export function createBlobStore(config: AttachmentsConfig): BlobStore {
  if (config.store === 's3') {
    if (!config.s3) throw new Error('GRIDFLOW_ATTACHMENTS_STORE=s3 needs the GRIDFLOW_S3_* settings');
    return new S3BlobStore(config.s3);
  }
  return new LocalBlobStore(config.localDir);
}
