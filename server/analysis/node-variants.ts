// Framework variants decided by config: Next `output: 'export'`, SvelteKit adapters, Astro SSR, Nuxt generate, Angular output path.
import { isObj, type Ctx } from './context.ts';
import type { NodeFramework } from './node-frameworks.ts';
import { join } from './tree.ts';

export interface Variant {
  type?: 'web' | 'static';
  output?: string;
  evidence?: string;
}

export function nodeVariant(
  ctx: Ctx,
  dir: string,
  fw: NodeFramework,
  all: Record<string, string>,
  scripts: Record<string, string>,
): Variant | null {
  const configText = () => {
    for (const c of fw.configs ?? []) {
      const t = ctx.text(join(dir, c), 32 * 1024);
      if (t) return t;
    }
    return '';
  };
  switch (fw.framework) {
    case 'next':
      return /output\s*:\s*["'`]export["'`]/.test(configText())
        ? { type: 'static', output: 'out', evidence: "next.config sets output: 'export'" }
        : null;
    case 'sveltekit':
      if ('@sveltejs/adapter-static' in all)
        return { type: 'static', output: 'build', evidence: 'uses @sveltejs/adapter-static' };
      return { type: 'web', evidence: '@sveltejs/adapter-node' in all ? 'uses @sveltejs/adapter-node' : undefined };
    case 'astro':
      if ('@astrojs/node' in all) return { type: 'web', evidence: 'uses @astrojs/node (server output)' };
      return null;
    case 'nuxt':
      if (
        /nuxt(i)? generate/.test(scripts.build ?? '') ||
        (!scripts.build && /nuxt(i)? generate/.test(scripts.generate ?? ''))
      )
        return { type: 'static', output: '.output/public', evidence: 'builds with nuxt generate' };
      return null;
    case 'angular': {
      const a = ctx.json(join(dir, 'angular.json'));
      if (!isObj(a) || !isObj(a.projects)) return null;
      const name =
        typeof a.defaultProject === 'string' && a.projects[a.defaultProject]
          ? a.defaultProject
          : Object.keys(a.projects)[0];
      const build = a.projects[name]?.architect?.build ?? a.projects[name]?.targets?.build;
      const out = build?.options?.outputPath;
      const base =
        typeof out === 'string' ? out : isObj(out) && typeof out.base === 'string' ? out.base : `dist/${name}`;
      const app = /:application$/.test(String(build?.builder ?? ''));
      return {
        output: app ? `${base.replace(/\/$/, '')}/browser` : base,
        evidence: `angular.json builds ${name} to ${base}`,
      };
    }
    default:
      return null;
  }
}
