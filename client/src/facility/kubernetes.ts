import { fail, ok, type Result } from './result';
import { redact } from './urls';

/** Where to find the cluster: a kubeconfig path (or the usual places), a context and a namespace. */
export interface KubeTarget {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
}

/** A pod, reduced to what the views show. */
export interface PodSummary {
  readonly name: string;
  readonly namespace: string;
  readonly phase: string;
  readonly nodeName?: string;
  readonly app?: string;
  readonly gpus: number;
}

const importKube = () => import('@kubernetes/client-node');
let kubeModule: ReturnType<typeof importKube> | undefined;

/** The Kubernetes client is large, so it is loaded on first use and never during activation. */
function loadKube(): ReturnType<typeof importKube> {
  kubeModule ??= importKube();
  return kubeModule;
}

/** Lists the pods of the target namespace through the Kubernetes API. */
export async function listPods(
  target: KubeTarget,
  signal: AbortSignal,
  labelSelector?: string,
): Promise<Result<PodSummary[]>> {
  const k8s = await loadKube();
  const config = new k8s.KubeConfig();
  try {
    if (target.kubeconfig) config.loadFromFile(target.kubeconfig);
    else config.loadFromDefault();
    if (target.context) config.setCurrentContext(target.context);
  } catch (error) {
    return fail('unreachable', `The Kubernetes configuration could not be read: ${redact(messageOf(error))}.`);
  }
  const namespace = target.namespace ?? config.getContextObject(config.getCurrentContext())?.namespace ?? 'default';
  const api = config.makeApiClient(k8s.CoreV1Api);
  try {
    const list = await abortable(api.listNamespacedPod({ namespace, labelSelector }), signal);
    return ok(
      list.items.map((pod) => ({
        name: pod.metadata?.name ?? '(unnamed)',
        namespace,
        phase: pod.status?.phase ?? 'Unknown',
        nodeName: pod.spec?.nodeName,
        app: pod.metadata?.labels?.['app'] ?? pod.metadata?.labels?.['app.kubernetes.io/name'],
        gpus: (pod.spec?.containers ?? []).reduce(
          (sum, c) => sum + Number(c.resources?.limits?.['nvidia.com/gpu'] ?? 0),
          0,
        ),
      })),
    );
  } catch (error) {
    if (signal.aborted) return fail('cancelled', 'Kubernetes: cancelled.');
    if (error instanceof k8s.ApiException) {
      const kind = error.code === 401 || error.code === 403 ? 'unauthorized' : error.code === 404 ? 'notFound' : 'http';
      return fail(
        kind,
        `The Kubernetes API refused to list pods in "${namespace}" (${error.code}): ${statusMessage(error.body)}.`,
        error.code,
      );
    }
    return fail('unreachable', `The Kubernetes API could not be reached: ${redact(messageOf(error))}.`);
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  const aborted = () => new Error('The request was cancelled.');
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Kubernetes errors carry a `Status` object whose `message` is the useful part. */
function statusMessage(body: unknown): string {
  try {
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: unknown };
    if (typeof status?.message === 'string') return redact(status.message);
  } catch {
    // Not a Status object; the code alone has to do.
  }
  return 'no details';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
