// Deploy a folder: upload (folder, .zip or .tar.gz) → checked and stored → analysis view → Deploy, which
// commits the folder to the app's main branch (commitFolder) and starts a release with releasePush.
import { join } from 'node:path';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { analyzeAndPlan } from '../build/topology.ts';
import { commitFolder } from '../git/commitFolder.ts';
import { repoPath } from '../git/repos.ts';
import { NotFound } from '../http/errors.ts';
import { releasePush } from '../ops/releases.ts';
import { snapshotFromDir } from '../snapshot/fs.ts';
import { AnalysisView } from '../../views/AnalysisView.tsx';
import { DeployPage } from '../../views/DeployPage.tsx';
import { InlineError } from '../../views/ErrorPage.tsx';
import { readTarGz, readZip, type ArchiveContents } from './archive.ts';
import { clientIp, isHtmx, viewer, type ConsoleDeps, type ConsoleEnv } from './env.ts';
import { requireApp, requireSession } from './middleware.ts';
import { stripCommonRoot, UploadError, uploadLimits, type UploadEntry } from './upload.ts';
import { UploadStore } from './uploadStore.ts';

export function deployRouter(deps: ConsoleDeps, limits = uploadLimits()) {
  const { db } = deps.database;
  const r = new Hono<ConsoleEnv>();
  const auth = requireSession(db);
  const store = new UploadStore(join(deps.config.dataDir, 'uploads'));
  const maxMb = Math.round(limits.totalBytes / 1048576);
  const withApp = requireApp(db);
  const tooLarge = bodyLimit({
    maxSize: limits.totalBytes + (1 << 20),
    onError: (c) => c.text(`Upload larger than ${maxMb} MiB`, 413),
  });

  r.get('/apps/:name/deploy', auth, withApp, async (c) =>
    c.html(<DeployPage viewer={viewer(c)} assets={deps.assets} app={c.get('app').name} maxMb={maxMb} />),
  );

  r.post('/apps/:name/deploy', tooLarge, auth, withApp, async (c) => {
    const app = c.get('app');
    const fail = (message: string) =>
      isHtmx(c)
        ? c.html(<InlineError message={message} />, 400)
        : c.html(
            <DeployPage viewer={viewer(c)} assets={deps.assets} app={app.name} maxMb={maxMb} error={message} />,
            400,
          );
    try {
      const body = await c.req.parseBody({ all: true });
      const asFiles = (v: unknown) =>
        (Array.isArray(v) ? v : [v]).filter((f): f is File => f instanceof File && f.name !== '');
      const archiveFile = asFiles(body.archive)[0];
      let files: UploadEntry[];
      let archive: ArchiveContents | undefined;
      if (archiveFile) {
        const buf = Buffer.from(await archiveFile.arrayBuffer());
        if (/\.zip$/i.test(archiveFile.name)) archive = readZip(buf, limits);
        else if (/\.(tar\.gz|tgz)$/i.test(archiveFile.name)) archive = await readTarGz(buf, limits);
        else throw new UploadError('archives must be .zip, .tar.gz or .tgz');
        files = archive.files;
      } else {
        const picked = asFiles(body.files);
        if (picked.length === 0) throw new UploadError('choose a folder or an archive first');
        const paths = stripCommonRoot(picked.map((f) => f.name));
        files = await Promise.all(
          picked.map(async (f, i) => ({ path: paths[i], data: new Uint8Array(await f.arrayBuffer()) })),
        );
      }
      const { id, meta } = await store.save(
        { app: app.name, userId: c.get('principal').userId },
        files,
        limits,
        archive,
      );
      const { topology } = analyzeAndPlan(snapshotFromDir(store.tree(id)), {
        images: deps.config.images,
        name: app.name,
      });
      const view = (
        <AnalysisView
          app={app.name}
          uploadId={id}
          topology={topology}
          csrf={c.get('csrf')}
          files={meta.files}
          dropped={meta.dropped}
        />
      );
      return isHtmx(c)
        ? c.html(view)
        : c.html(
            <DeployPage viewer={viewer(c)} assets={deps.assets} app={app.name} maxMb={maxMb}>
              {view}
            </DeployPage>,
          );
    } catch (e) {
      if (e instanceof UploadError) return fail(e.message);
      throw e;
    }
  });

  r.post('/apps/:name/deploy/:id', auth, withApp, async (c) => {
    const app = c.get('app');
    const id = c.req.param('id');
    const p = c.get('principal');
    const meta = /^[0-9a-f]{24}$/.test(id) ? await store.meta(id) : null;
    if (!meta || meta.app !== app.name || meta.userId !== p.userId)
      throw new NotFound('this upload expired or belongs to someone else; upload the folder again');
    const { commit } = await commitFolder(repoPath(deps.reposDir, app.name), store.tree(id), {
      message: `Deploy from the Kyozo console (${meta.files} files)`,
      author: { name: p.email, email: p.email },
    });
    const release = await releasePush(deps, app, commit, p.userId, {
      actor: { userId: p.userId, email: p.email },
      ip: clientIp(c),
    });
    await store.remove(id);
    const to = `/apps/${app.name}/releases/${release.version}`;
    if (isHtmx(c)) {
      c.header('HX-Redirect', to);
      return c.body(null, 204);
    }
    return c.redirect(to, 303);
  });
  return r;
}
