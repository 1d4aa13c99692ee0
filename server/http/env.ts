// Hono environment shared by the routers.
import type { Principal } from '../db/users.ts';

export type HttpEnv = { Variables: { principal: Principal } };
