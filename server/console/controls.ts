// Which service controls the console offers; all are wired to ops (formation.ts scale/start/stop, releases.ts restart).
import type { Controls } from '../../views/ServiceCard.tsx';

export const controlsAvailable: Controls = { scale: true, lifecycle: true };
