// /api/tokens (your own API tokens) and /api/users (admin: create users, each with a first token).
import { Hono } from 'hono';
import { recordEvent } from '../db/events.ts';
import { createUser, findUserByEmail, issueToken, listTokens, revokeToken } from '../db/users.ts';
import type { OpsDeps } from '../ops/deps.ts';
import type { HttpEnv } from './env.ts';
import { auditOf } from './events.ts';
import { asObject, BadRequest, field, intParam, readJson } from './json.ts';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

/** Host networking shares the host's loopback and ports with every app: fine for one trusted user, never two. */
export const SINGLE_TRUST =
  'KYOZO_NETWORK=host runs every app on the host network, where tenants are not isolated from each other or ' +
  'from Kyozo, so Kyozo has a single user in this mode. Set KYOZO_NETWORK=bridge (the default) to add users.';

export function tokensRouter(deps: OpsDeps) {
  const { db } = deps.database;
  const r = new Hono<HttpEnv>();
  r.get('/', async (c) => c.json(await listTokens(db, c.get('principal').userId)));
  r.post('/', async (c) => {
    const name = field<string>(asObject(await readJson(c)), 'name', 'string') ?? 'api';
    if (name.length > 100) throw new BadRequest('name must be at most 100 characters');
    const created = await issueToken(db, c.get('principal').userId, name);
    await recordEvent(db, { type: 'token.create', message: `token "${name}" created`, ...auditOf(c) });
    return c.json({ id: created.id, name, token: created.token }, 201);
  });
  r.delete('/:id', async (c) => {
    const id = intParam(c.req.param('id'), 'token id');
    if (!(await revokeToken(db, c.get('principal').userId, id))) return c.json({ error: 'token not found' }, 404);
    await recordEvent(db, { type: 'token.revoke', message: `token ${id} revoked`, ...auditOf(c) });
    return c.body(null, 204);
  });
  return r;
}

export function usersRouter(deps: OpsDeps) {
  const { db } = deps.database;
  const r = new Hono<HttpEnv>();
  r.post('/', async (c) => {
    if (!c.get('principal').isAdmin) return c.json({ error: 'only admins can create users' }, 403);
    if (deps.config.network === 'host') return c.json({ error: SINGLE_TRUST }, 409);
    const body = asObject(await readJson(c));
    const email = field<string>(body, 'email', 'string', true).trim().toLowerCase();
    if (!EMAIL.test(email)) throw new BadRequest('email must be an email address');
    if (await findUserByEmail(db, email)) return c.json({ error: `user ${email} already exists` }, 409);
    const user = await createUser(db, email, false);
    const { token } = await issueToken(db, user.id, 'first token');
    await recordEvent(db, { type: 'user.create', message: `user ${email} created`, ...auditOf(c) });
    return c.json({ id: user.id, email, token }, 201);
  });
  return r;
}
