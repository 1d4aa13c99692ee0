// Reads uploaded archives with caps: .tar.gz (tar-stream over node:zlib gunzip, streamed) and .zip (own
// central-directory reader with inflateRaw). Symlinks that leave the tree, hard links, devices dropped.
import { posix } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, inflateRawSync } from 'node:zlib';
import tar, { type Header } from 'tar-stream';
import { UploadBudget, UploadError, type UploadEntry, type UploadLimits } from './upload.ts';

export interface ArchiveContents {
  files: UploadEntry[];
  symlinks: { path: string; target: string }[];
  dropped: string[];
}

/** The link target when it stays inside the tree (relative, resolves under the root), else null. */
export function inTreeTarget(linkPath: string, target: string): string | null {
  if (!target || target.startsWith('/') || target.includes('\0') || target.includes('\\')) return null;
  const resolved = posix.normalize(posix.join(posix.dirname(linkPath), target));
  return resolved === '..' || resolved.startsWith('../') || resolved === '.' ? null : target;
}

type Kind = 'file' | 'dir' | 'symlink' | 'other';

function add(
  out: ArchiveContents,
  budget: UploadBudget,
  type: Kind,
  path: string,
  data: Uint8Array | (() => Uint8Array),
  link = '',
) {
  if (type === 'dir') return;
  if (type === 'symlink') {
    if (inTreeTarget(path, link)) out.symlinks.push({ path, target: link });
    else out.dropped.push(`${path} (symlink leaving the tree)`);
    return;
  }
  if (type === 'other') return void out.dropped.push(`${path} (not a regular file)`);
  const bytes = typeof data === 'function' ? data() : data;
  budget.add(bytes.byteLength, path);
  out.files.push({ path, data: bytes });
}

const tarKind = (type: Header['type'] | null): Kind =>
  type === 'file' || type === 'contiguous-file'
    ? 'file'
    : type === 'directory'
      ? 'dir'
      : type === 'symlink'
        ? 'symlink'
        : 'other';

/** Kyozo's wording for what went wrong while unpacking: gzip errors, tar-stream errors or our own caps. */
function tarError(e: unknown): UploadError {
  if (e instanceof UploadError) return e;
  if (String((e as NodeJS.ErrnoException).code ?? '').startsWith('Z_'))
    return new UploadError('not a valid .tar.gz file');
  if (/unexpected end/i.test(String(e))) return new UploadError('truncated tar archive');
  return new UploadError('corrupt tar header');
}

/**
 * Streams the archive through gunzip and tar-stream: the unpacked byte count is capped as it grows (a gzip
 * bomb stops at the cap), and each file's declared size is checked against the budget before its body is read.
 */
export async function readTarGz(gz: Buffer, limits: UploadLimits): Promise<ArchiveContents> {
  const out: ArchiveContents = { files: [], symlinks: [], dropped: [] };
  const budget = new UploadBudget(limits);
  const maxUnpacked = limits.totalBytes + limits.files * 1536 + (1 << 20);
  let unpacked = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      unpacked += chunk.length;
      done(unpacked > maxUnpacked ? new UploadError('archive unpacks to more than the upload limit') : null, chunk);
    },
  });
  // Old v7 archives carry no ustar magic; Kyozo has always read them (an option tar-stream's typings omit).
  const extract = tar.extract({ allowUnknownFormat: true } as Parameters<typeof tar.extract>[0]);
  // Settles with the first error (or null) so a failure is never an unhandled rejection.
  const unpacking = pipeline(Readable.from([gz], { objectMode: false }), createGunzip(), meter, extract).then(
    () => null,
    (e: unknown) => e,
  );
  try {
    for await (const entry of extract) {
      const { name, type, size = 0, linkname } = entry.header;
      const path = name.replace(/^\.\//, '');
      const kind = tarKind(type);
      if (kind !== 'file') {
        entry.resume();
        add(out, budget, kind, path, new Uint8Array(), linkname ?? '');
        continue;
      }
      budget.add(size, path);
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      out.files.push({ path, data: Uint8Array.from(Buffer.concat(chunks)) });
    }
  } catch (e) {
    extract.destroy();
    await unpacking;
    throw tarError(e);
  }
  const failed = await unpacking;
  if (failed) throw tarError(failed);
  return out;
}

export function readZip(buf: Buffer, limits: UploadLimits): ArchiveContents {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--)
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new UploadError('not a valid .zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || p === 0xffffffff) throw new UploadError('zip64 archives are not supported');
  const out: ArchiveContents = { files: [], symlinks: [], dropped: [] };
  const budget = new UploadBudget(limits);
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50)
      throw new UploadError('corrupt zip central directory');
    const [flags, method] = [buf.readUInt16LE(p + 8), buf.readUInt16LE(p + 10)];
    const [csize, usize] = [buf.readUInt32LE(p + 20), buf.readUInt32LE(p + 24)];
    const [nlen, xlen, clen] = [buf.readUInt16LE(p + 28), buf.readUInt16LE(p + 30), buf.readUInt16LE(p + 32)];
    const mode = buf.readUInt32LE(p + 38) >>> 16;
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
    p += 46 + nlen + xlen + clen;
    if (flags & 1) throw new UploadError(`${name}: encrypted zip entries are not supported`);
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50)
      throw new UploadError('corrupt zip local header');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + csize);
    const body = () => {
      if (usize > limits.fileBytes)
        throw new UploadError(`${name} is larger than ${Math.round(limits.fileBytes / 1048576)} MiB`);
      const data =
        method === 0 ? raw : method === 8 ? inflateRawSync(raw, { maxOutputLength: Math.max(usize, 1) }) : null;
      if (!data || data.length !== usize) throw new UploadError(`${name}: unsupported or corrupt zip entry`);
      return Uint8Array.from(data);
    };
    const kind = name.endsWith('/')
      ? 'dir'
      : (mode & 0o170000) === 0o120000
        ? 'symlink'
        : (mode & 0o170000) === 0 || (mode & 0o170000) === 0o100000
          ? 'file'
          : 'other';
    add(
      out,
      budget,
      kind,
      name,
      kind === 'file' ? body : new Uint8Array(),
      kind === 'symlink' ? Buffer.from(body()).toString('utf8') : '',
    );
  }
  return out;
}
