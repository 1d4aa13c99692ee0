// Config values at rest: each apps.config / releases.config row is one AES-256-GCM blob
// `{"v":1,"kid":"<key id>","iv":"<b64>","tag":"<b64>","data":"<b64 of the JSON config>"}` bound to its app id
// (additional data), so a row copied onto another app does not open. A row that is still a plain
// `{"KEY":"value"}` object (written before encryption) reads as is; sealStoredConfigs() encrypts those at start.
// The key is created in server/main.ts (loadSecretKey) and carried by the Database (connect(url, { secrets })).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export const SECRET_KEY_FILE = 'secret-key';

/** The stored form of an encrypted config. `v` is a number: a plain config's values are always strings. */
export interface SealedConfig {
  v: 1;
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

export class SecretsError extends Error {}

export interface Secrets {
  /** A short fingerprint of the key (not secret): names the key a row was written with. */
  readonly keyId: string;
  seal(config: Record<string, string>, appId: number): SealedConfig;
  /** The plain config of a stored row (sealed or still plain); a SecretsError when the key does not open it. */
  open(stored: unknown, appId: number): Record<string, string>;
}

export const isSealed = (stored: unknown): stored is SealedConfig =>
  typeof stored === 'object' && stored !== null && (stored as { v?: unknown }).v === 1 && 'data' in stored;

const aad = (appId: number) => Buffer.from(`kyozo:config:app:${appId}`);

export function createSecrets(key: Buffer): Secrets {
  if (key.length !== 32) throw new SecretsError(`the secret key must be 32 bytes, not ${key.length}`);
  const keyId = createHash('sha256').update('kyozo-key-id').update(key).digest('hex').slice(0, 12);
  return {
    keyId,
    seal(config, appId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad(appId));
      const data = Buffer.concat([cipher.update(JSON.stringify(config), 'utf8'), cipher.final()]);
      return {
        v: 1,
        kid: keyId,
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      };
    },
    open(stored, appId) {
      if (stored === null || stored === undefined) return {};
      if (!isSealed(stored)) return stored as Record<string, string>;
      if (stored.kid !== keyId)
        throw new SecretsError(
          `the config of app ${appId} was encrypted with key ${stored.kid}, but this Kyozo has key ${keyId}: ` +
            `start it with the KYOZO_SECRET_KEY or ${SECRET_KEY_FILE} file it was written with`,
        );
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(stored.iv, 'base64'));
        decipher.setAAD(aad(appId));
        decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
        const text = Buffer.concat([decipher.update(Buffer.from(stored.data, 'base64')), decipher.final()]);
        return JSON.parse(text.toString('utf8')) as Record<string, string>;
      } catch {
        throw new SecretsError(
          `the config of app ${appId} does not decrypt with key ${keyId}: the row was altered or belongs to another app`,
        );
      }
    },
  };
}

/** A random key for a process of its own (tests, scripts): nothing it writes outlives the key. */
export const ephemeralSecrets = (): Secrets => createSecrets(randomBytes(32));

/** 32 bytes from hex (64 digits) or base64 (standard or URL-safe, padding optional); null when malformed. */
export function parseSecretKey(text: string): Buffer | null {
  const s = text.trim();
  if (/^[0-9a-f]{64}$/i.test(s)) return Buffer.from(s, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(s)) return null;
  const key = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === 32 ? key : null;
}

/**
 * The key config values are encrypted with: KYOZO_SECRET_KEY when set, else `<dataDir>/secret-key`, created
 * on first start (32 random bytes, base64, mode 0600, written to a temporary file and linked into place, so
 * two processes starting at once end up with the same key). The key itself is never logged.
 */
export function loadSecretKey(
  env: Record<string, string | undefined>,
  dataDir: string,
  log: (m: string) => void = () => {},
): Secrets {
  const given = env.KYOZO_SECRET_KEY?.trim();
  if (given) {
    const key = parseSecretKey(given);
    if (!key)
      throw new SecretsError(
        `KYOZO_SECRET_KEY must be 32 bytes written as 64 hex digits or 44 base64 characters (it has ${given.length} characters)`,
      );
    return createSecrets(key);
  }
  const file = join(dataDir, SECRET_KEY_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    text = createKeyFile(file);
    log(`secrets: created ${file} (keep it with the data dir: without it the apps' config cannot be read)`);
  }
  const key = parseSecretKey(text);
  if (!key) throw new SecretsError(`${file} does not hold a 32-byte key (64 hex digits or 44 base64 characters)`);
  if ((statSync(file).mode & 0o077) !== 0) {
    chmodSync(file, 0o600);
    log(`secrets: ${file} was readable by others; now mode 0600`);
  }
  return createSecrets(key);
}

function createKeyFile(file: string): string {
  const text = `${randomBytes(32).toString('base64')}\n`;
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file); // fails when another process linked its key first: that one wins
    return text;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return readFileSync(file, 'utf8');
  } finally {
    unlinkSync(tmp);
  }
}
