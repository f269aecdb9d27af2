import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

// A stand-in for Airflow's modules: operators record their arguments and `>>` its edges, refusing
// arguments the real operator does not take, and templates render with Jinja's StrictUndefined as
// Airflow's do.
const recorder = `
import datetime

BASE_ARGS = {'retries', 'retry_delay', 'retry_exponential_backoff', 'max_retry_delay',
             'execution_timeout', 'pool', 'trigger_rule', 'doc_md'}
TRIGGER_RULES = {'all_success', 'all_failed', 'all_done', 'one_success', 'one_failed',
                 'none_failed', 'none_skipped', 'always'}
DAGS = []

class Param:
    def __init__(self, default=None, **schema):
        self.default = default
        self.schema = schema

class DAG:
    current = None
    def __init__(self, dag_id, **kwargs):
        self.dag_id, self.kwargs, self.tasks, self.edges = dag_id, kwargs, {}, []
        DAGS.append(self)
    def __enter__(self):
        DAG.current = self
        return self
    def __exit__(self, *exc):
        DAG.current = None

class BaseOperator:
    OWN_ARGS = set()
    TEMPLATE_FIELDS = ()
    def __init__(self, task_id, **kwargs):
        unknown = set(kwargs) - BASE_ARGS - self.OWN_ARGS
        if unknown:
            raise TypeError(f'{type(self).__name__} {task_id}: invalid arguments {sorted(unknown)}')
        if kwargs.get('trigger_rule', 'all_success') not in TRIGGER_RULES:
            raise ValueError(f'{task_id}: bad trigger rule')
        if DAG.current is None or task_id in DAG.current.tasks:
            raise RuntimeError(f'{task_id}: outside a DAG or duplicated')
        self.task_id, self.kwargs, self.dag = task_id, kwargs, DAG.current
        self.dag.tasks[task_id] = self
    def __rshift__(self, other):
        self.dag.edges.append([self.task_id, other.task_id])
        return other

class BashOperator(BaseOperator):
    OWN_ARGS = {'bash_command', 'env', 'append_env', 'cwd'}
    TEMPLATE_FIELDS = ('bash_command', 'env')

class DockerOperator(BaseOperator):
    OWN_ARGS = {'image', 'command', 'environment', 'private_environment', 'mounts',
                'mount_tmp_dir', 'auto_remove', 'docker_url', 'network_mode'}
    TEMPLATE_FIELDS = ('image', 'command', 'environment')

class KubernetesPodOperator(BaseOperator):
    OWN_ARGS = {'name', 'namespace', 'image', 'cmds', 'arguments', 'env_from', 'env_vars',
                'volumes', 'volume_mounts', 'get_logs', 'on_finish_action'}
    TEMPLATE_FIELDS = ('image', 'cmds', 'arguments', 'env_vars')

class Recorded:
    def __init__(self, **kwargs):
        self.kwargs = kwargs
`;

const recordScript = `
import datetime, json, runpy, sys
sys.path.insert(0, sys.argv[1])
import jinja2
from airflow_recorder import DAGS, Param, Recorded

dag_file, variables, run_id, ds = sys.argv[2], json.loads(sys.argv[3]), sys.argv[4], sys.argv[5]
module = runpy.run_path(dag_file)
[dag] = DAGS
params = {k: (v.default if isinstance(v, Param) else v) for k, v in dag.kwargs.get('params', {}).items()}
context = {'run_id': run_id, 'params': params, 'var': {'value': variables}}
if ds:
    context['ds'] = ds
env = jinja2.Environment(undefined=jinja2.StrictUndefined)

def render(value):
    if isinstance(value, str):
        return env.from_string(value).render(context)
    if isinstance(value, list):
        return [render(v) for v in value]
    if isinstance(value, dict):
        return {k: render(v) for k, v in value.items()}
    return value

def plain(value):
    if isinstance(value, datetime.timedelta):
        return {'seconds': value.total_seconds()}
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, Param):
        return {'default': value.default, **value.schema}
    if isinstance(value, Recorded):
        return {'class': type(value).__name__, **plain(value.kwargs)}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value

print(json.dumps({
    'dag_id': dag.dag_id,
    'kwargs': plain(dag.kwargs),
    'pools': module.get('POOLS'),
    'tasks': {
        task_id: {
            'operator': type(task).__name__,
            'kwargs': plain(task.kwargs),
            'rendered': {f: render(task.kwargs[f]) for f in task.TEMPLATE_FIELDS if f in task.kwargs},
        }
        for task_id, task in dag.tasks.items()
    },
    'edges': dag.edges,
}))
`;

/** Airflow 2 keeps DAG and BashOperator in the core; Airflow 3 moves them to the SDK and the standard provider. */
export type AirflowLayout = 'airflow2' | 'airflow3';

const recorded = (names: string) => `from airflow_recorder import ${names}\n`;
const recordedK8s = [
  'V1EnvFromSource',
  'V1SecretEnvSource',
  'V1Volume',
  'V1VolumeMount',
  'V1PersistentVolumeClaimVolumeSource',
]
  .map((name) => `class ${name}(Recorded): pass\n`)
  .join('');

const layouts: Record<AirflowLayout, Record<string, string>> = {
  airflow2: {
    'airflow/__init__.py': recorded('DAG'),
    'airflow/models/__init__.py': '',
    'airflow/models/param.py': recorded('Param'),
    'airflow/operators/__init__.py': '',
    'airflow/operators/bash.py': recorded('BashOperator'),
  },
  airflow3: {
    'airflow/__init__.py': '',
    'airflow/sdk/__init__.py': recorded('DAG, Param'),
    'airflow/providers/standard/operators/bash.py': recorded('BashOperator'),
  },
};

const providers: Record<string, string> = {
  'airflow/providers/docker/operators/docker.py': recorded('DockerOperator'),
  'docker/types.py': `${recorded('Recorded')}class Mount(Recorded): pass\n`,
  'airflow/providers/cncf/kubernetes/operators/pod.py': recorded('KubernetesPodOperator'),
  'kubernetes/client/models.py': `${recorded('Recorded')}${recordedK8s}`,
};

/** Writes the stand-in `airflow` package of one layout (plus Docker and Kubernetes providers) into `dir`. */
export async function writeAirflowStandIn(dir: string, layout: AirflowLayout): Promise<void> {
  const files: Record<string, string> = {
    'airflow_recorder.py': recorder,
    ...layouts[layout],
    ...providers,
  };
  // Regular packages throughout: a namespace package would lose to an installed `docker` package.
  for (const path of Object.keys(files)) {
    for (let folder = dirname(path); folder !== '.'; folder = dirname(folder))
      files[join(folder, '__init__.py')] ??= '';
  }
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await writeFile(join(dir, 'record_dag.py'), recordScript);
}

export interface RecordedTask {
  readonly operator: string;
  readonly kwargs: Record<string, unknown>;
  /** The templated fields rendered for the given run id, logical date, params and Variables. */
  readonly rendered: Record<string, unknown>;
}

export interface RecordedDag {
  readonly dag_id: string;
  readonly kwargs: Record<string, unknown>;
  readonly pools: Record<string, number> | null;
  readonly tasks: Record<string, RecordedTask>;
  readonly edges: [string, string][];
}

/** Executes the DAG file with python3 under the stand-in and returns what it declared. */
export async function recordDag(options: {
  standIn: string;
  file: string;
  runId: string;
  ds?: string;
  variables?: Record<string, string>;
}): Promise<RecordedDag> {
  const { stdout } = await exec('python3', [
    join(options.standIn, 'record_dag.py'),
    options.standIn,
    options.file,
    JSON.stringify(options.variables ?? {}),
    options.runId,
    options.ds ?? '',
  ]);
  return JSON.parse(stdout) as RecordedDag;
}
