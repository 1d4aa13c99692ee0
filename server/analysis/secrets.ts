// Committed secrets: .env files with values, private keys, cloud/API tokens in config files.
// Recommendations name the file (and variable names), never the value.
import { NON_SERVICE_DIRS } from './tree.ts';
import type { Ctx } from './context.ts';

const TOKENS: [RegExp, string][] = [
  [/-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----/, 'a private key'],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bsk_live_[0-9A-Za-z]{16,}/, 'a Stripe live secret key'],
  [/\b(?:sk|rk)_test_[0-9A-Za-z]{16,}/, 'a Stripe test secret key'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{40,}/, 'a GitHub token'],
  [/\bxox[abpors]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}/, 'an OpenAI/Anthropic API key'],
  [/\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/, 'a SendGrid API key'],
  [/"type"\s*:\s*"service_account"[\s\S]*"private_key"/, 'a Google service-account key'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm token'],
];
const SECRET_NAME =
  /SECRET|TOKEN|PASSWORD|PASSWD|PWD|PRIVATE|CREDENTIAL|API_?KEY|ACCESS_?KEY|AUTH|DSN|DATABASE_URL|_URL$|SALT/i;
/** Variables a frontend bundler inlines into the browser bundle: public by design. */
const PUBLIC_NAME = /^(VITE_|NEXT_PUBLIC_|REACT_APP_|NUXT_PUBLIC_|PUBLIC_|EXPO_PUBLIC_|GATSBY_|VUE_APP_)/;
/** URL-valued names are secret only with credentials in the URL (postgres://user:pass@db). */
const URL_NAME = /_URL$|_URI$|DATABASE_URL/;
const ENV_EXAMPLE = /\.(example|sample|template|dist|defaults?|schema|tpl)$|\.example\.|\.sample\./i;
const KEY_NAMES = new Set([
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  'credentials',
  'credentials.json',
  '.npmrc',
  '.pypirc',
  '.netrc',
  '.htpasswd',
]);
const KEY_EXT = new Set(['pem', 'key', 'p12', 'pfx', 'jks', 'keystore', 'tfvars']);
const CONFIG_EXT = new Set([
  'json',
  'yml',
  'yaml',
  'toml',
  'ini',
  'cfg',
  'conf',
  'properties',
  'xml',
  'env',
  'sh',
  'py',
  'rb',
  'php',
  'js',
  'ts',
]);
const ext = (name: string) => name.slice(name.lastIndexOf('.') + 1).toLowerCase();
const isKeyFile = (name: string) =>
  KEY_NAMES.has(name) || KEY_EXT.has(ext(name)) || (name.startsWith('service-account') && name.endsWith('.json'));

export function scanSecrets(ctx: Ctx, maxScanned = 400): void {
  let scanned = 0;
  for (const [dir, names] of ctx.tree.files) {
    const depth = dir === '' ? 1 : dir.split('/').length + 1;
    const dirHint = depth <= 3 && SENSITIVE.test(dir);
    for (const name of names) {
      if (
        name.includes('.env') &&
        (name === '.env' ||
          (name.startsWith('.env.') && !ENV_EXAMPLE.test(name)) ||
          (name.endsWith('.env') && !ENV_EXAMPLE.test(name)))
      ) {
        envFile(ctx, dir ? `${dir}/${name}` : name);
        continue;
      }
      // Besides key files, scan small config files near the top of the tree (bounded: read only what can decide).
      if (!isKeyFile(name) && !(depth <= 3 && CONFIG_EXT.has(ext(name)) && (dirHint || SENSITIVE.test(name)))) continue;
      if (LOCKFILES.has(name)) continue;
      if (++scanned > maxScanned) return;
      scanFile(ctx, dir ? `${dir}/${name}` : name);
    }
  }
}

const SENSITIVE = /config|setting|secret|credential|env|key|auth|deploy|docker|compose/i;
const LOCKFILES = new Set([
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'composer.lock',
  'Gemfile.lock',
  'poetry.lock',
  'Cargo.lock',
]);

/** A secret inside test/example folders is usually a fixture: still reported, but not as an emergency. */
const inFixture = (path: string) =>
  path
    .split('/')
    .slice(0, -1)
    .some((d) => NON_SERVICE_DIRS.has(d.toLowerCase()));
const secretSeverity = (path: string) => (inFixture(path) ? 'low' : 'high');
const fixtureNote = (path: string) =>
  inFixture(path) ? ' (it sits in a test/example folder; if it is a fake for tests, ignore this)' : '';
const CONFIG_HINT = 'set it as a config var instead (kyozo config:set, PATCH /api/apps/:name/config, or the console)';
const CONFIG_HINT_MANY =
  'set them as config vars instead (kyozo config:set, PATCH /api/apps/:name/config, or the console)';

function scanFile(ctx: Ctx, path: string): void {
  const t = ctx.text(path, 64 * 1024);
  if (!t || t.includes('\u0000')) return;
  const hit = TOKENS.find(([re]) => re.test(t));
  if (hit)
    ctx.rec(
      secretSeverity(path),
      'secret-committed',
      path,
      `${path} contains ${hit[1]}${fixtureNote(path)}. Remove it from the repository, rotate it, and ${CONFIG_HINT}.`,
    );
}

function envFile(ctx: Ctx, path: string): void {
  const t = ctx.text(path, 64 * 1024);
  if (t === null) return;
  const keys: string[] = [];
  const secretKeys: string[] = [];
  for (const line of t.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const v = m[2]
      .replace(/\s+#.*$/, '')
      .trim()
      .replace(/^(["'])(.*)\1$/, '$2');
    if (
      !v ||
      /^(change-?(me|this)|change_?(me|this)|xxx+|<.*>|\$\{.*\}|your[-_].*|todo|placeholder|false|true|\d{1,5}|localhost|development|production|test)$/i.test(
        v,
      )
    )
      continue;
    keys.push(m[1]);
    if (
      TOKENS.some(([re]) => re.test(v)) ||
      (SECRET_NAME.test(m[1]) && !PUBLIC_NAME.test(m[1]) && (!URL_NAME.test(m[1]) || /:\/\/[^/@\s]*:[^/@\s]+@/.test(v)))
    )
      secretKeys.push(m[1]);
  }
  if (!keys.length) return;
  const list = (k: string[]) => k.slice(0, 6).join(', ') + (k.length > 6 ? `, +${k.length - 6} more` : '');
  if (secretKeys.length)
    ctx.rec(
      secretSeverity(path),
      'secret-committed',
      path,
      `${path} is committed with values for ${list(secretKeys)}${fixtureNote(path)}. Rotate them, delete the file from the repository (and its history), and ${CONFIG_HINT_MANY}.`,
    );
  else
    ctx.rec(
      'medium',
      'env-file-committed',
      path,
      `${path} is committed with values for ${list(keys)}. Keep environment in Kyozo config, not in the repository.`,
    );
}
