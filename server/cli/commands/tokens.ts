// kyozo tokens | tokens:create NAME | tokens:revoke ID: your own API tokens.
import type { Commands } from '../command.ts';
import { CliError } from '../http.ts';
import { shortTime, table } from '../parse.ts';

interface TokenJson {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const commands: Commands = {
  async tokens(ctx) {
    ctx.args(0, 0, '');
    const list = await ctx.api.call<TokenJson[]>('GET', '/api/tokens');
    if (ctx.json) return ctx.out(JSON.stringify(list, null, 2));
    ctx.out(
      table(
        ['ID', 'NAME', 'CREATED', 'LAST USED', 'REVOKED'],
        list.map((t) => [
          String(t.id),
          t.name,
          shortTime(t.createdAt),
          shortTime(t.lastUsedAt),
          shortTime(t.revokedAt),
        ]),
      ),
    );
  },

  async 'tokens:create'(ctx) {
    const [name] = ctx.args(1, 1, 'NAME');
    const t = await ctx.api.call<{ id: number; name: string; token: string }>('POST', '/api/tokens', { name });
    if (ctx.json) return ctx.out(JSON.stringify(t, null, 2));
    ctx.out(
      `Created token ${t.id} "${t.name}". It is shown only this once:\n\n  ${t.token}\n\nUse it with: export KYOZO_TOKEN=${t.token}`,
    );
  },

  async 'tokens:revoke'(ctx) {
    const [id] = ctx.args(1, 1, 'ID');
    if (!/^\d{1,15}$/.test(id)) throw new CliError(`token ids are numbers (see kyozo tokens), got "${id}"`, 2);
    await ctx.api.call('DELETE', `/api/tokens/${id}`);
    if (ctx.json) return ctx.out(JSON.stringify({ id: Number(id), revoked: true }, null, 2));
    ctx.out(`Revoked token ${id}`);
  },
};
