// Reads uploaded archives in memory with caps: .tar.gz (own ustar/pax/GNU reader over node:zlib) and .zip
// (own central-directory reader with inflateRaw). Symlinks that leave the tree, hard links, devices dropped.
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { posix } from 'node:path';
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

function add(
  out: ArchiveContents,
  budget: UploadBudget,
  type: 'file' | 'dir' | 'symlink' | 'other',
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

const cstr = (b: Buffer) => {
  const i = b.indexOf(0);
  return b.subarray(0, i < 0 ? b.length : i).toString('utf8');
};

export function readTarGz(gz: Buffer, limits: UploadLimits): ArchiveContents {
  let buf: Buffer;
  try {
    buf = gunzipSync(gz, { maxOutputLength: limits.totalBytes + limits.files * 1536 + (1 << 20) });
  } catch (e) {
    throw new UploadError(
      /RangeError|larger/i.test(String(e)) || (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
        ? 'archive unpacks to more than the upload limit'
        : 'not a valid .tar.gz file',
    );
  }
  const out: ArchiveContents = { files: [], symlinks: [], dropped: [] };
  const budget = new UploadBudget(limits);
  let longName: string | null = null;
  let longLink: string | null = null;
  let pax: Record<string, string> = {};
  for (let off = 0; off + 512 <= buf.length;) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    if (h[124] & 0x80) throw new UploadError('tar entry too large');
    const size = parseInt(cstr(h.subarray(124, 136)).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new UploadError('corrupt tar header');
    const type = h[156] === 0 ? '0' : String.fromCharCode(h[156]);
    const prefix = h.subarray(257, 262).toString() === 'ustar' ? cstr(h.subarray(345, 500)) : '';
    const data = buf.subarray(off + 512, off + 512 + size);
    if (data.length < size) throw new UploadError('truncated tar archive');
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = cstr(data);
      continue;
    }
    if (type === 'K') {
      longLink = cstr(data);
      continue;
    }
    if (type === 'x') {
      pax = parsePax(data);
      continue;
    }
    if (type === 'g') continue;
    const name = pax.path ?? longName ?? (prefix ? `${prefix}/${cstr(h.subarray(0, 100))}` : cstr(h.subarray(0, 100)));
    const link = pax.linkpath ?? longLink ?? cstr(h.subarray(157, 257));
    longName = longLink = null;
    pax = {};
    const kind = type === '0' || type === '7' ? 'file' : type === '5' ? 'dir' : type === '2' ? 'symlink' : 'other';
    add(out, budget, kind, name.replace(/^\.\//, ''), () => Uint8Array.from(data), link);
  }
  return out;
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < data.length;) {
    const sp = data.indexOf(0x20, i);
    const len = parseInt(data.subarray(i, sp).toString(), 10);
    if (sp < 0 || !(len > 0)) break;
    const rec = data.subarray(sp + 1, i + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
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
