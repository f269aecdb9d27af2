/** Where a Bash task finds the project: an Airflow Variable, else a worker environment variable. */
export interface AirflowProjectDir {
  /** Airflow Variable holding the project folder on the workers, e.g. `reelhouse_project_dir`. */
  readonly variable: string;
  /** Worker environment variable read when the Variable is unset, e.g. `REELHOUSE_PROJECT_DIR`. */
  readonly environment: string;
  /** Used when neither is set (given explicitly by whoever generates the file). */
  readonly fallback?: string | undefined;
}

/** How Airflow runs each task: a shell on the worker, a Docker container or a Kubernetes pod. */
export type AirflowRunner =
  | { readonly kind: 'bash'; readonly projectDir: AirflowProjectDir }
  | {
      readonly kind: 'docker';
      readonly image: string;
      /** Environment variables passed from the worker into the container (not logged). */
      readonly environment: readonly string[];
      /** Named Docker volumes shared by the tasks (data sets, reports). */
      readonly volumes: readonly { readonly name: string; readonly path: string }[];
    }
  | {
      readonly kind: 'kubernetes';
      readonly image: string;
      readonly namespace: string;
      /** Kubernetes Secret whose keys become the pod's environment (database URLs). */
      readonly envSecret: string;
      /** PersistentVolumeClaims shared by the tasks (ReadWriteMany for several nodes). */
      readonly volumes: readonly { readonly claim: string; readonly path: string }[];
    };

export const py = (value: string): string => JSON.stringify(value);
const pyList = (values: readonly string[]): string => `[${values.map(py).join(', ')}]`;

// Words the shell passes through unchanged; anything else (Jinja included) is single-quoted.
const plainWord = /^[A-Za-z0-9_.,:=@%+/-]+$/;
export const shellWord = (value: string): string =>
  plainWord.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;

/** The `import` lines of the operator; Airflow 3 paths first, Airflow 2 ones as the fallback. */
export function runnerImports(runner: AirflowRunner): string[] {
  switch (runner.kind) {
    case 'bash':
      return [
        'try:  # Airflow 3, or Airflow 2 with the standard provider',
        '    from airflow.providers.standard.operators.bash import BashOperator',
        'except ImportError:  # Airflow 2',
        '    from airflow.operators.bash import BashOperator',
      ];
    case 'docker':
      return [
        'import os',
        '',
        'from airflow.providers.docker.operators.docker import DockerOperator',
        'from docker.types import Mount',
      ];
    case 'kubernetes':
      return [
        'from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator',
        'from kubernetes.client import models as k8s',
      ];
  }
}

/** Module-level constants the tasks share (project folder, image, volumes). */
export function runnerConstants(runner: AirflowRunner): string[] {
  switch (runner.kind) {
    case 'bash': {
      const { variable, environment, fallback } = runner.projectDir;
      const steps = [
        `project_dir='{{ var.value.get(${py(variable)}, "") }}'`,
        `project_dir="\${project_dir:-$${environment}}"`,
        ...(fallback === undefined
          ? []
          : [`project_dir="\${project_dir:-${shellWord(fallback)}}"`]),
        `cd "\${project_dir:?set the Airflow Variable ${variable} or the environment variable ${environment} to the project folder}" && `,
      ];
      return [
        `# The project folder on the worker: the Airflow Variable ${variable}, else the worker's`,
        `# environment variable ${environment}${fallback === undefined ? '' : `, else ${fallback}`}.`,
        `IN_PROJECT = ${py(steps.join('; '))}`,
      ];
    }
    case 'docker':
      return [
        `IMAGE = ${py(runner.image)}`,
        "# Settings the containers take from the worker's environment; private: never rendered or logged.",
        `ENVIRONMENT = {name: os.environ[name] for name in ${pyList(runner.environment)} if name in os.environ}`,
        'MOUNTS = [',
        ...runner.volumes.map(
          (v) => `    Mount(source=${py(v.name)}, target=${py(v.path)}, type="volume"),`,
        ),
        ']',
      ];
    case 'kubernetes':
      return [
        `IMAGE = ${py(runner.image)}`,
        `NAMESPACE = ${py(runner.namespace)}`,
        `# The database URLs and settings: the keys of the Secret ${runner.envSecret}.`,
        `ENV_FROM = [k8s.V1EnvFromSource(secret_ref=k8s.V1SecretEnvSource(name=${py(runner.envSecret)}))]`,
        'VOLUMES = [',
        ...runner.volumes.map(
          (v) =>
            `    k8s.V1Volume(name=${py(v.claim)}, persistent_volume_claim=k8s.V1PersistentVolumeClaimVolumeSource(claim_name=${py(v.claim)})),`,
        ),
        ']',
        'VOLUME_MOUNTS = [',
        ...runner.volumes.map(
          (v) => `    k8s.V1VolumeMount(name=${py(v.claim)}, mount_path=${py(v.path)}),`,
        ),
        ']',
      ];
  }
}

/** The operator class and its task-specific keyword lines (8-space indented) for one task. */
export function runnerTask(
  runner: AirflowRunner,
  task: { readonly id: string; readonly argv: readonly string[] },
): { operator: string; lines: string[] } {
  const indent = (line: string) => `        ${line}`;
  switch (runner.kind) {
    case 'bash':
      return {
        operator: 'BashOperator',
        lines: [`bash_command=IN_PROJECT + ${py(task.argv.map(shellWord).join(' '))},`].map(indent),
      };
    case 'docker':
      return {
        operator: 'DockerOperator',
        lines: [
          'image=IMAGE,',
          `command=${pyList(task.argv)},`,
          'private_environment=ENVIRONMENT,',
          'mounts=MOUNTS,',
          // The host's /tmp is not the worker's when Docker is remote.
          'mount_tmp_dir=False,',
          'auto_remove="success",',
        ].map(indent),
      };
    case 'kubernetes':
      return {
        operator: 'KubernetesPodOperator',
        lines: [
          // Pod names are DNS labels: no underscores.
          `name=${py(task.id.replaceAll('_', '-'))},`,
          'namespace=NAMESPACE,',
          'image=IMAGE,',
          `cmds=${pyList(task.argv.slice(0, 1))},`,
          `arguments=${pyList(task.argv.slice(1))},`,
          'env_from=ENV_FROM,',
          'volumes=VOLUMES,',
          'volume_mounts=VOLUME_MOUNTS,',
          'get_logs=True,',
          'on_finish_action="delete_succeeded_pod",',
        ].map(indent),
      };
  }
}
