// Dependencies that are not declared in compose: workspace packages, client libraries of backing services,
// dev-server proxies and API URLs pointing at another service's port.
import type { Ctx } from './context.ts';
import type { Dependency, Service } from './types.ts';
import { join } from './tree.ts';

export interface Draft {
  service: Service;
  uses: string[];
  localDeps: string[];
  pkgName?: string;
  dir: string | null;
}

export function inferLinks(ctx: Ctx, drafts: Draft[], deps: Dependency[]): void {
  const add = (from: string, to: string, reason: string) => {
    if (from !== to && !deps.some((d) => d.from === from && d.to === to)) deps.push({ from, to, reason });
  };
  const byPkg = new Map(drafts.filter((d) => d.pkgName).map((d) => [d.pkgName!, d.service.name]));
  for (const d of drafts)
    for (const p of d.localDeps) {
      const to = byPkg.get(p);
      if (to) add(d.service.name, to, `package.json depends on workspace package ${p}`);
    }
  const backing = drafts.filter((d) => d.service.path === null);
  for (const d of drafts) {
    const missing: string[] = [];
    for (const u of d.uses) {
      const target = backing.find(
        (b) =>
          b.service.runtime === u ||
          (u === 'redis' && b.service.runtime === 'valkey') ||
          (u === 'mysql' && b.service.runtime === 'mariadb'),
      );
      if (target)
        add(
          d.service.name,
          target.service.name,
          `uses a ${u} client library and ${target.service.name} is a ${target.service.runtime} service`,
        );
      else missing.push(u);
    }
    const list = missing.join(' and ');
    if (missing.length)
      ctx.rec(
        'low',
        'backing-service-missing',
        d.service.path,
        `${d.service.name} uses ${missing.length > 1 ? '' : 'a '}${list} client librar${missing.length > 1 ? 'ies' : 'y'} but the repository declares no ${list} service${missing.length > 1 ? 's' : ''}; provide ${missing.length > 1 ? 'them' : 'one'} and pass ${missing.length > 1 ? 'their URLs' : 'its URL'} as config.`,
      );
  }
  // Frontends that proxy or point at localhost:<port> of another service in the repo.
  const byPort = new Map<number, string>();
  for (const d of drafts)
    if (d.service.path !== null && d.service.port && d.service.type !== 'static')
      byPort.set(d.service.port, d.service.name);
  for (const d of drafts) {
    if (d.dir === null || !ctx.tree.has(join(d.dir, 'package.json'))) continue;
    const files = [
      'vite.config.ts',
      'vite.config.js',
      'vite.config.mjs',
      'package.json',
      '.env',
      '.env.development',
      '.env.local',
      'angular.json',
      'proxy.conf.json',
      'src/setupProxy.js',
      'next.config.js',
      'next.config.mjs',
    ];
    for (const f of files) {
      const t = ctx.text(join(d.dir, f), 32 * 1024);
      if (!t) continue;
      for (const m of t.matchAll(/(?:localhost|127\.0\.0\.1|0\.0\.0\.0):(\d{2,5})/g)) {
        const to = byPort.get(Number(m[1]));
        if (to && to !== d.service.name)
          add(d.service.name, to, `${join(d.dir, f)} points at localhost:${m[1]} (${to})`);
      }
    }
  }
}
