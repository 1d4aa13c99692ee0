// A Kyozo installation's identity: a random id kept in the data dir. Every container carries it as the
// `kyozo.instance` label (runtime/names.ts), so reconcile and cleanup never touch another installation's
// containers on a shared Docker engine.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function instanceId(dataDir: string): string {
  const file = join(dataDir, 'instance-id');
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[a-f0-9]{12,64}$/.test(id)) return id;
  }
  const id = randomBytes(8).toString('hex');
  writeFileSync(file, id + '\n', { mode: 0o600 });
  return id;
}
