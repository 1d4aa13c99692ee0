// Generated Dockerfiles for Python: pip (requirements.txt), Poetry, Pipenv, uv, plain pyproject, setup.py.
import type { PlanFacts } from '../analysis/types.ts';
import type { BaseImages } from './images.ts';
import { aptInstall, cmd, copyManifests, portLines } from './dockerfile.ts';

function install(f: PlanFacts): { pre: string[]; post: string[]; env: string[] } {
  const lock = (n: string) => f.files.includes(n);
  switch (f.tool) {
    case 'uv':
      return {
        pre: [`RUN pip install uv && uv sync${lock('uv.lock') ? ' --frozen' : ''} --no-dev --no-install-project`],
        post: [],
        env: ['ENV PATH="/app/.venv/bin:$PATH"'],
      };
    case 'poetry':
      return {
        pre: [
          'RUN pip install poetry && poetry config virtualenvs.create false && poetry install --no-root --only main --no-interaction',
        ],
        post: [],
        env: [],
      };
    case 'pipenv':
      return {
        pre: [`RUN pip install pipenv && pipenv install --system ${lock('Pipfile.lock') ? '--deploy' : '--skip-lock'}`],
        post: [],
        env: [],
      };
    case 'pyproject':
      return { pre: ['RUN pip install uv && uv pip install --system -r pyproject.toml'], post: [], env: [] };
    default:
      if (f.files.length) return { pre: [`RUN pip install -r ${f.files[0]}`], post: [], env: [] };
      return { pre: [], post: ['RUN pip install .'], env: [] }; // setup.py only
  }
}

export function pythonPlan(f: PlanFacts, im: BaseImages): string[] {
  const i = install(f);
  return [
    `FROM ${im.python}`,
    'ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1',
    ...aptInstall(f.packages),
    'WORKDIR /app',
    ...(f.hasDeps || i.pre.length ? [...copyManifests(f), ...i.pre] : []),
    ...i.env,
    'COPY . .',
    ...i.post,
    ...(f.build ? [`RUN ${f.build}`] : []),
    ...portLines(f.port),
    cmd(f.start, 'python main.py'),
  ];
}
