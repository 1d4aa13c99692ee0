// Which service controls the console can offer: wired to ops once they exist (server/ops/scale.ts etc.).
import type { Controls } from '../../views/ServiceCard.tsx';

export const controlsAvailable: Controls = { scale: false, lifecycle: false };
