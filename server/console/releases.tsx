// Release pages: the log with filters (rendered so far), its download, and the live SSE continuation.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Db } from '../db/client.ts';
import { readLogLines } from '../db/logs.ts';
import { getReleaseByVersion, servicesOf, type Release } from '../db/releases.ts';
import { NotFound } from '../http/errors.ts';
import { intParam } from '../http/json.ts';
import { followReleaseLog } from '../logs/releaseLog.ts';
import { releaseJson } from '../ops/appView.ts';
import { LogLines, ReleasePage, ReleaseStatus } from '../../views/ReleasePage.tsx';
import { viewer, type AppCtx, type ConsoleDeps, type ConsoleEnv } from './env.ts';
import type { LogLine } from '../../views/props.ts';
import { filterFromQuery, filterQuery, LogClassifier, matches } from './logFilter.ts';
import { requireApp, requireSession } from './middleware.ts';

const TERMINAL = new Set(['live', 'failed', 'superseded']);
const PAGE_LINE_CAP = 50_000;

async function serviceNames(db: Db, release: Release): Promise<string[]> {
  const analysis = release.analysis as { services?: { name: string }[] } | null;
  const names = analysis?.services?.map((s) => s.name) ?? (await servicesOf(db, release.id)).map((s) => s.name);
  return [...new Set(names)].sort();
}

export function releasesRouter(deps: ConsoleDeps) {
  const { db } = deps.database;
  const r = new Hono<ConsoleEnv>();
  const auth = requireSession(db);
  const withApp = requireApp(db);

  const load = async (c: AppCtx) => {
    const app = c.get('app');
    const v = intParam(c.req.param('v'), 'version');
    const release = await getReleaseByVersion(db, app.id, v);
    if (!release) throw new NotFound(`release v${v} of ${app.name} not found`);
    return { app, release };
  };

  r.get('/apps/:name/releases/:v', auth, withApp, async (c) => {
    const { app, release } = await load(c);
    const services = await serviceNames(db, release);
    const classifier = new LogClassifier(new Set(services));
    const filter = filterFromQuery((k) => c.req.query(k));
    const lines: LogLine[] = [];
    let count = 0;
    for (let after = 0; count < PAGE_LINE_CAP;) {
      const rows = await readLogLines(db, release.id, after);
      if (rows.length === 0) break;
      for (const row of rows) {
        const l = classifier.classify(row.line);
        count++;
        if (matches(l, filter)) lines.push(l);
      }
      after = rows[rows.length - 1].id;
    }
    return c.html(
      <ReleasePage
        viewer={viewer(c)}
        assets={deps.assets}
        app={app.name}
        release={releaseJson(release)}
        lines={lines}
        after={count}
        live={!TERMINAL.has(release.status)}
        services={classifier.known()}
        filter={filter}
        filterQuery={filterQuery(filter)}
      />,
    );
  });

  r.get('/apps/:name/releases/:v/log.txt', auth, withApp, async (c) => {
    const { app, release } = await load(c);
    const out: string[] = [];
    for (let after = 0; ;) {
      const rows = await readLogLines(db, release.id, after);
      if (rows.length === 0) break;
      for (const row of rows) out.push(row.line);
      after = rows[rows.length - 1].id;
    }
    return c.body(out.length ? out.join('\n') + '\n' : '', 200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Disposition': `attachment; filename="${app.name}-v${release.version}.log"`,
    });
  });

  // Live continuation: skips the lines the page already has (?after= or Last-Event-ID on reconnect).
  r.get('/events/stream/apps/:name/releases/:v', auth, withApp, async (c) => {
    const { release } = await load(c);
    const skip = Math.max(Number(c.req.query('after')) || 0, Number(c.req.header('last-event-id')) || 0);
    const filter = filterFromQuery((k) => c.req.query(k));
    const classifier = new LogClassifier(new Set(await serviceNames(db, release)));
    return streamSSE(c, async (s) => {
      const ac = new AbortController();
      s.onAbort(() => ac.abort());
      let batch: LogLine[] = [];
      let seen = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const lines = batch;
        batch = [];
        await s.writeSSE({ event: 'line', data: await (<LogLines lines={lines} />).toString(), id: String(seen) });
      };
      const timer = setInterval(() => void flush(), 150);
      try {
        const final = await followReleaseLog(
          db,
          deps.bus,
          release.id,
          (text) => {
            const l = classifier.classify(text);
            seen = l.n + 1;
            if (l.n >= skip && matches(l, filter)) batch.push(l);
          },
          ac.signal,
        );
        clearInterval(timer);
        await flush();
        if (final && !ac.signal.aborted) {
          await s.writeSSE({
            event: 'status',
            data: await (<ReleaseStatus release={releaseJson(final)} />).toString(),
          });
          await s.writeSSE({ event: 'done', data: final.status });
        }
      } finally {
        clearInterval(timer);
      }
    });
  });
  return r;
}
