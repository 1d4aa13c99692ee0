// Generated Dockerfiles for Go (static binary on the small static image), Ruby (Bundler) and PHP (Apache + Composer).
import type { PlanFacts } from '../analysis/types.ts';
import type { BaseImages } from './images.ts';
import { aptInstall, cmd, copyManifests, portLines } from './dockerfile.ts';
import { nodeInstall } from './plan-node.ts';

export function goPlan(f: PlanFacts, im: BaseImages): string[] {
  const mains = (f.entry ?? 'app=.').split(' ').map((e) => e.split('='));
  const builds = mains.map(([name, pkg]) => `go build -trimpath -ldflags="-s -w" -o /out/${name} ${pkg}`).join(' && ');
  return [
    `FROM ${im.go} AS build`,
    'WORKDIR /src',
    ...copyManifests(f),
    ...(f.hasDeps ? ['RUN go mod download'] : []),
    'COPY . .',
    'ENV CGO_ENABLED=0',
    `RUN ${builds}`,
    // The binary is static: run it on the small static image, with CA certificates for outgoing TLS.
    `FROM ${im.static}`,
    'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt',
    'COPY --from=build /out/ /app/',
    ...portLines(f.port),
    cmd(f.start),
  ];
}

export function rubyPlan(f: PlanFacts, im: BaseImages): string[] {
  const locked = f.files.includes('Gemfile.lock');
  return [
    `FROM ${im.ruby}`,
    ...aptInstall(f.packages),
    'WORKDIR /app',
    `ENV RAILS_ENV=production RACK_ENV=production BUNDLE_WITHOUT="development:test" RAILS_LOG_TO_STDOUT=1 RAILS_SERVE_STATIC_FILES=1${locked ? ' BUNDLE_DEPLOYMENT=1' : ''}`,
    ...copyManifests(f),
    'RUN bundle install',
    'COPY . .',
    ...(f.build ? [`RUN ${f.build}`] : []),
    ...portLines(f.port),
    cmd(f.start, 'bundle exec rackup -o 0.0.0.0 -p ${PORT:-9292}'),
  ];
}

/** OS libraries of PHP extensions; PECL ones are not part of docker-php-ext-install. */
const EXT_LIBS: Record<string, string[]> = {
  gd: ['libpng-dev', 'libjpeg62-turbo-dev', 'libfreetype6-dev', 'libwebp-dev'],
  intl: ['libicu-dev'],
  zip: ['libzip-dev'],
  gmp: ['libgmp-dev'],
  soap: ['libxml2-dev'],
  xsl: ['libxslt1-dev'],
  pgsql: ['libpq-dev'],
  pdo_pgsql: ['libpq-dev'],
  imagick: ['libmagickwand-dev'],
  memcached: ['libmemcached-dev', 'zlib1g-dev'],
  ldap: ['libldap2-dev'],
  bz2: ['libbz2-dev'],
};
const PECL = new Set(['redis', 'imagick', 'mongodb', 'apcu', 'memcached', 'xdebug', 'igbinary', 'swoole']);

export function phpPlan(f: PlanFacts, im: BaseImages): string[] {
  const docroot = f.output && f.output !== '.' ? `/var/www/html/${f.output}` : '/var/www/html';
  const framework = f.entry === 'laravel' || f.entry === 'symfony';
  const ext = [
    ...new Set([...(framework ? ['pdo_mysql', 'pdo_pgsql', 'zip', 'opcache'] : []), ...(f.extensions ?? [])]),
  ];
  const core = ext.filter((e) => !PECL.has(e));
  const pecl = ext.filter((e) => PECL.has(e));
  const a = f.assets;
  return [
    // Frontend assets (Vite/Mix) are built by Node and copied into the public folder of the final image.
    ...(a
      ? [
          `FROM ${im.nodeBuild} AS assets`,
          'WORKDIR /app',
          `COPY ${a.files.join(' ')} ./`,
          `RUN ${nodeInstall({ ...f, tool: a.tool, files: a.files, dir: '.' }, false)}`,
          'COPY . .',
          `RUN ${a.build}`,
        ]
      : []),
    `FROM ${im.php}`,
    ...aptInstall([
      ...new Set([
        ...(f.tool === 'composer' ? ['git', 'unzip', 'libzip-dev'] : []),
        ...(framework ? ['libpq-dev'] : []),
        ...ext.flatMap((e) => EXT_LIBS[e] ?? []),
      ]),
    ]),
    ...(core.includes('gd') ? ['RUN docker-php-ext-configure gd --with-freetype --with-jpeg --with-webp'] : []),
    ...(core.length ? [`RUN docker-php-ext-install ${core.join(' ')}`] : []),
    ...(pecl.length ? [`RUN pecl install ${pecl.join(' ')} && docker-php-ext-enable ${pecl.join(' ')}`] : []),
    ...(f.tool === 'composer'
      ? ['RUN curl -fsSL https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer']
      : []),
    // Apache listens on $PORT and serves the framework's public folder.
    `ENV APACHE_DOCUMENT_ROOT=${docroot} PORT=${f.port}`,
    "RUN sed -ri -e 's!/var/www/html!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/sites-available/*.conf && sed -ri -e 's!Listen 80!Listen ${PORT}!' /etc/apache2/ports.conf && sed -ri -e 's!<VirtualHost \\*:80>!<VirtualHost *:${PORT}>!' /etc/apache2/sites-available/000-default.conf && a2enmod rewrite",
    'WORKDIR /var/www/html',
    ...(f.tool === 'composer'
      ? [
          ...copyManifests(f),
          'RUN composer install --no-dev --no-scripts --no-autoloader --no-interaction --prefer-dist',
        ]
      : []),
    'COPY . .',
    ...(a
      ? [
          `COPY --from=assets /app/${f.output && f.output !== '.' ? f.output : ''} ./${f.output && f.output !== '.' ? f.output : ''}`.replace(
            /\/ \.\/$/,
            ' ./',
          ),
        ]
      : []),
    ...(f.tool === 'composer' ? ['RUN composer dump-autoload --optimize --no-dev'] : []),
    ...(f.entry === 'laravel' ? ['RUN chown -R www-data:www-data storage bootstrap/cache'] : []),
    `EXPOSE ${f.port}`,
    'CMD ["apache2-foreground"]',
  ];
}
