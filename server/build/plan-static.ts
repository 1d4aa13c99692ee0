// Generated Dockerfiles for static sites: built in a toolchain image (npm, Hugo, Jekyll, MkDocs), served as files by busybox httpd.
import { nodeImageFor } from '../analysis/nodeEngine.ts';
import type { PlanFacts } from '../analysis/types.ts';
import type { BaseImages } from './images.ts';
import { aptInstall, copyManifests } from './dockerfile.ts';
import { nodeInstall, nodeInstallAndBuild } from './plan-node.ts';

const HUGO_VERSION = '0.139.3';

/** The final stage: files in /srv, served on $PORT (shell form so PORT expands; busybox provides /bin/sh). */
export function serveStatic(im: BaseImages, from: string | null, output: string): string[] {
  return [
    `FROM ${im.static}`,
    from ? `COPY --from=${from} ${output} /srv` : 'COPY . /srv',
    ...(from ? [] : ['RUN rm -f /srv/Dockerfile.kyozo /srv/Dockerfile /srv/.dockerignore']),
    // Unknown paths get the site's own 404.html, or index.html so client-side routes of an SPA load.
    'RUN if [ -f /srv/404.html ]; then echo "E404:404.html"; else echo "E404:index.html"; fi > /etc/httpd.conf',
    'ENV PORT=8080',
    'EXPOSE 8080',
    'CMD exec busybox httpd -f -v -p ${PORT:-8080} -h /srv -c /etc/httpd.conf',
  ];
}

export function staticPlan(f: PlanFacts, im: BaseImages): string[] {
  const out = (base: string) => `${base}/${f.output && f.output !== '.' ? f.output : ''}`.replace(/\/+$/, '');
  switch (f.tool) {
    case 'none':
      return serveStatic(im, null, '.');
    case 'hugo':
      return [
        `FROM ${im.nodeBuild} AS build`,
        `ARG HUGO_VERSION=${f.version ?? HUGO_VERSION}`,
        'RUN arch="$(dpkg --print-architecture)" && curl -fsSL "https://github.com/gohugoio/hugo/releases/download/v${HUGO_VERSION}/hugo_extended_${HUGO_VERSION}_linux-${arch}.tar.gz" | tar -xz -C /usr/local/bin hugo',
        // Hugo modules are fetched with the Go toolchain.
        ...(f.files.includes('go.mod')
          ? [`COPY --from=${im.go} /usr/local/go /usr/local/go`, 'ENV PATH=/usr/local/go/bin:$PATH']
          : []),
        'WORKDIR /src',
        // css.TailwindCSS / PostCSS pipes run the npm packages of the site.
        ...(f.assets
          ? [
              `COPY ${f.assets.files.join(' ')} ./`,
              `RUN ${nodeInstall({ ...f, tool: f.assets.tool, files: f.assets.files }, false)}`,
            ]
          : []),
        'COPY . .',
        `RUN ${f.build ?? 'hugo --minify'}`,
        ...serveStatic(im, 'build', out('/src')),
      ];
    case 'jekyll':
      return [
        `FROM ${im.ruby} AS build`,
        ...aptInstall(['build-essential', 'git']),
        'WORKDIR /src',
        ...(f.files.length ? [...copyManifests(f), 'RUN bundle install'] : ['RUN gem install jekyll']),
        'COPY . .',
        `RUN JEKYLL_ENV=production ${f.files.length ? 'bundle exec jekyll build' : 'jekyll build'}`,
        ...serveStatic(im, 'build', out('/src')),
      ];
    case 'mkdocs':
      return [
        `FROM ${im.python} AS build`,
        'WORKDIR /src',
        ...(f.files.length
          ? [...copyManifests(f), `RUN pip install --no-cache-dir -r ${f.files[0]}`]
          : ['RUN pip install --no-cache-dir mkdocs mkdocs-material']),
        'COPY . .',
        `RUN ${f.build ?? 'mkdocs build'}`,
        ...serveStatic(im, 'build', out('/src')),
      ];
    default:
      // npm/yarn/pnpm/bun build (Vite, CRA, Angular, Astro, Gatsby, Next export, SvelteKit static...).
      return [
        `FROM ${f.tool === 'bun' ? im.bun : nodeImageFor(im.nodeBuild, f.engine)} AS build`,
        ...nodeInstallAndBuild(f, true),
        ...serveStatic(im, 'build', out(f.dir === '.' ? '/app' : `/app/${f.dir}`)),
      ];
  }
}
