// Container log text for the simulated pods: what each kind of container prints at start and then, line by line,
// while it runs. Triton logs in glog format (`I1125 06:25:58.123456 1 file.cc:123] …`), Dask in Python logging's
// `YYYY-MM-DD HH:MM:SS,mmm - logger - LEVEL - message`, as the real containers do.
import type { Reply } from './http';
import { isTrue, kubeStatus, notFound } from './kubeApi';
import type { Pod } from './pods';

/** One line of a container's log with the time the kubelet saw it (for `timestamps` and `sinceSeconds`). */
export interface LogLine {
  readonly time: Date;
  readonly text: string;
}

type Flavour = 'triton' | 'dask' | 'jupyter' | 'plain';

function flavourOf(pod: Pod): Flavour {
  const spec = pod.spec as { containers?: { image?: string }[] } | undefined;
  const image = spec?.containers?.[0]?.image ?? '';
  if (image.includes('tritonserver')) return 'triton';
  if (pod.metadata.labels['app.kubernetes.io/name'] === 'dask-worker') return 'dask';
  if (pod.metadata.labels.component === 'singleuser-server') return 'jupyter';
  return 'plain';
}

/** The lines a container printed while starting. */
export function startupLines(pod: Pod, at: Date): LogLine[] {
  const texts: Record<Flavour, string[]> = {
    triton: [
      glog(at, 'server.cc:674', '+----------+---------+--------+'),
      glog(at, 'server.cc:674', '| Model    | Version | Status |'),
      glog(at, 'grpc_server.cc:2519', 'Started GRPCInferenceService at 0.0.0.0:8001'),
      glog(at, 'http_server.cc:4637', 'Started HTTPService at 0.0.0.0:8000'),
      glog(at, 'http_server.cc:320', 'Started Metrics Service at 0.0.0.0:8002'),
    ],
    dask: [
      python(at, 'distributed.nanny', 'INFO', `        Start Nanny at: 'tls://${String(podIP(pod))}:34567'`),
      python(at, 'distributed.worker', 'INFO', `      Start worker at: tls://${String(podIP(pod))}:40123`),
      python(at, 'distributed.worker', 'INFO', '        Registered to: tls://dask-scheduler:8786'),
    ],
    jupyter: [
      `[I ${jupyterTime(at)} ServerApp] Jupyter Server 2.14.2 is running at:`,
      `[I ${jupyterTime(at)} ServerApp] http://${String(podIP(pod))}:8888/user/${pod.metadata.namespace}/`,
    ],
    plain: [`${at.toISOString()} container started`],
  };
  return texts[flavourOf(pod)].map((text) => ({ time: at, text }));
}

/** The `n`th line a running container prints after starting. */
export function runningLine(pod: Pod, n: number, at: Date): LogLine {
  const flavour = flavourOf(pod);
  const text =
    flavour === 'triton'
      ? glog(at, 'infer_handler.cc:679', `Process for ModelInferHandler, rpc_ok=1, ${n} step START`)
      : flavour === 'dask'
        ? python(
            at,
            'distributed.worker.memory',
            'INFO',
            `Worker process memory: ${(1.2 + (n % 7) / 10).toFixed(1)} GiB`,
          )
        : flavour === 'jupyter'
          ? `[I ${jupyterTime(at)} ServerApp] 200 GET /user/${pod.metadata.namespace}/api/kernels (${n}) 1.02ms`
          : `${at.toISOString()} heartbeat ${n}`;
  return { time: at, text };
}

function podIP(pod: Pod): unknown {
  return (pod.status as { podIP?: string } | undefined)?.podIP;
}

function glog(at: Date, source: string, message: string): string {
  const month = String(at.getUTCMonth() + 1).padStart(2, '0');
  const day = String(at.getUTCDate()).padStart(2, '0');
  const micros = String(at.getUTCMilliseconds() * 1000).padStart(6, '0');
  return `I${month}${day} ${at.toISOString().slice(11, 19)}.${micros} 1 ${source}] ${message}`;
}

function python(at: Date, logger: string, level: string, message: string): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)} - ${logger} - ${level} - ${message}`;
}

function jupyterTime(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** A checked log request (Kubernetes API reference, PodLogOptions v1 core). */
export interface LogQuery {
  readonly container: string;
  readonly follow: boolean;
  readonly timestamps: boolean;
  readonly tailLines?: number;
  readonly sinceSeconds?: number;
  readonly sinceTime?: Date;
  readonly limitBytes?: number;
}

/**
 * Checks `GET /api/v1/namespaces/{ns}/pods/{name}/log` against the pod (Kubernetes API reference, Pod v1 core,
 * "read log"): the Status the API server answers, or the options. Messages are the API server's own wording.
 */
export function readLogQuery(pod: Pod | undefined, name: string, query: URLSearchParams): LogQuery | Reply {
  if (!pod) return notFound('pods', name);
  const containers = ((pod.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map(
    (c) => c.name,
  );
  const container = query.get('container') ?? (containers.length === 1 ? containers[0] : '');
  if (container === '') {
    return kubeStatus(
      400,
      `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`,
    );
  }
  if (!containers.includes(container)) return kubeStatus(400, `container ${container} is not valid for pod ${name}`);
  if (isTrue(query.get('previous'))) {
    return kubeStatus(400, `previous terminated container "${container}" in pod "${name}" not found`);
  }
  if ((pod.status as { phase?: string } | undefined)?.phase === 'Pending') {
    return kubeStatus(400, `container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
  }
  const numbers: Record<string, number | undefined> = {};
  for (const [param, min] of [
    ['tailLines', 0],
    ['sinceSeconds', 1],
    ['limitBytes', 1],
  ] as const) {
    const text = query.get(param);
    if (text === null) continue;
    const value = Number(text);
    if (!/^-?\d+$/.test(text)) return kubeStatus(400, `${param}: invalid value "${text}": not an integer`);
    if (value < min) {
      const bound = min === 0 ? 'greater than or equal to 0' : 'greater than 0';
      return kubeStatus(422, `PodLogOptions "${name}" is invalid: ${param}: Invalid value: ${value}: must be ${bound}`);
    }
    numbers[param] = value;
  }
  const sinceText = query.get('sinceTime');
  const sinceTime = sinceText === null ? undefined : new Date(sinceText);
  if (sinceTime && Number.isNaN(sinceTime.getTime())) {
    return kubeStatus(400, `sinceTime: invalid value "${sinceText}": not an RFC3339 time`);
  }
  if (sinceTime && numbers.sinceSeconds !== undefined) {
    return kubeStatus(
      422,
      `PodLogOptions "${name}" is invalid: : Forbidden: at most one of sinceTime or sinceSeconds may be specified`,
    );
  }
  return {
    container,
    follow: isTrue(query.get('follow')),
    timestamps: isTrue(query.get('timestamps')),
    tailLines: numbers.tailLines,
    sinceSeconds: numbers.sinceSeconds,
    sinceTime,
    limitBytes: numbers.limitBytes,
  };
}

/** The lines a request returns before any that follow: after `sinceSeconds`/`sinceTime`, then the last `tailLines`. */
export function selectLines(lines: readonly LogLine[], query: LogQuery, now: Date): LogLine[] {
  const since =
    query.sinceTime ?? (query.sinceSeconds ? new Date(now.getTime() - query.sinceSeconds * 1000) : undefined);
  const recent = since ? lines.filter((line) => line.time >= since) : [...lines];
  return query.tailLines === undefined ? recent : recent.slice(Math.max(0, recent.length - query.tailLines));
}

/** One line as the kubelet writes it: with `timestamps`, an RFC 3339 time with nanoseconds and a space first. */
export function formatLine(line: LogLine, timestamps: boolean): string {
  return timestamps ? `${line.time.toISOString().replace(/Z$/, '000000Z')} ${line.text}\n` : `${line.text}\n`;
}
