import { openKube, type KubeTarget } from './kubeConfig';
import { kubeFailure } from './kubeErrors';
import { ok, type Result } from './result';

export type { KubeTarget } from './kubeConfig';

/** A pod, reduced to what the views show. */
export interface PodSummary {
  readonly name: string;
  readonly namespace: string;
  readonly phase: string;
  readonly nodeName?: string;
  readonly app?: string;
  readonly gpus: number;
}

/** Lists the pods of the target namespace through the Kubernetes API. */
export async function listPods(
  target: KubeTarget,
  signal: AbortSignal,
  labelSelector?: string,
): Promise<Result<PodSummary[]>> {
  const session = await openKube(target);
  if (!session.ok) return session;
  const { k8s, config, namespace } = session.value;
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
    return kubeFailure(k8s, error, `list pods in "${namespace}"`, signal);
  }
}

/** Settles with `promise`, or rejects as soon as `signal` aborts (the generated API takes no signal). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  const aborted = () => new Error('The request was cancelled.');
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
