// Deploy a folder (placeholder).
import { Hono } from 'hono';
import type { ConsoleDeps, ConsoleEnv } from './env.ts';

export function deployRouter(_deps: ConsoleDeps) {
  return new Hono<ConsoleEnv>();
}
