#!/usr/bin/env node
// Launcher: registers tsx in-process (no second Node process) and runs the TypeScript CLI,
// so `npx kyozo ...` works from a checkout after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli.ts');
