// At start (server/main.ts, after the migrations): config rows still in plain text (written before config
// values were encrypted) are encrypted in place, and every encrypted row is opened once, so a wrong key stops
// Kyozo with one clear line instead of failing requests later.
import { eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { apps, releases } from './schema.ts';
import { isSealed } from './secrets.ts';

export async function sealStoredConfigs(db: Db): Promise<{ apps: number; releases: number }> {
  const sealed = { apps: 0, releases: 0 };
  await db.transaction(async (tx) => {
    for (const row of await tx.select({ id: apps.id, config: apps.config }).from(apps).for('update')) {
      const plain = db.secrets.open(row.config, row.id); // throws SecretsError on a key mismatch
      if (isSealed(row.config)) continue;
      const config = db.secrets.seal(plain, row.id) as unknown as Record<string, string>;
      await tx.update(apps).set({ config }).where(eq(apps.id, row.id));
      sealed.apps++;
    }
    const rows = await tx.select({ id: releases.id, appId: releases.appId, config: releases.config }).from(releases);
    for (const row of rows) {
      const plain = db.secrets.open(row.config, row.appId);
      if (isSealed(row.config)) continue;
      const config = db.secrets.seal(plain, row.appId) as unknown as Record<string, string>;
      await tx.update(releases).set({ config }).where(eq(releases.id, row.id));
      sealed.releases++;
    }
  });
  return sealed;
}
