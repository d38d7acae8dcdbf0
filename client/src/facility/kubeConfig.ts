import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fail, ok, type Result } from './result';
import { redact } from './urls';

/** Where to find the cluster: a kubeconfig path (or the usual places), a context and a namespace. */
export interface KubeTarget {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
}

/** The client library's module, its configuration for one target, and the namespace to work in. */
export interface KubeSession {
  readonly k8s: KubeModule;
  readonly config: KubeConfig;
  readonly namespace: string;
}

const importKube = () => import('@kubernetes/client-node');

/** The client library's module, loaded lazily; its types are taken from it, as it is an ES module. */
export type KubeModule = Awaited<ReturnType<typeof importKube>>;
export type KubeConfig = InstanceType<KubeModule['KubeConfig']>;
export type V1Pod = InstanceType<KubeModule['V1Pod']>;
export type V1Service = InstanceType<KubeModule['V1Service']>;

/** Where a configuration comes from, decided before anything is read. */
export type KubeConfigSource =
  { readonly kind: 'files'; readonly files: string[] } | { readonly kind: 'inCluster' } | { readonly kind: 'none' };

/** What the environment looks like; tests pass their own. */
export interface KubeEnvironment {
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  /** Prefix of `/var/run/secrets/kubernetes.io/serviceaccount` (the in-cluster token and namespace). */
  readonly serviceAccountPrefix: string;
}

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

let kubeModule: ReturnType<typeof importKube> | undefined;

/** The Kubernetes client is large, so it is loaded on first use and never during activation. */
export function loadKube(): ReturnType<typeof importKube> {
  kubeModule ??= importKube();
  return kubeModule;
}

/**
 * kubectl's order: a given path, then `$KUBECONFIG` (a list), then `~/.kube/config`; inside a pod
 * (`KUBERNETES_SERVICE_HOST` set) with none of those, the pod's service account.
 */
export function kubeConfigSource(
  target: KubeTarget,
  environment: KubeEnvironment,
  exists: (path: string) => boolean = existsSync,
): KubeConfigSource {
  if (target.kubeconfig) return { kind: 'files', files: [target.kubeconfig] };
  const listed = (environment.env.KUBECONFIG ?? '').split(delimiter).filter((file) => file !== '');
  if (listed.length > 0) return { kind: 'files', files: listed };
  const home = join(environment.home, '.kube', 'config');
  if (environment.home && exists(home)) return { kind: 'files', files: [home] };
  if (environment.env.KUBERNETES_SERVICE_HOST) return { kind: 'inCluster' };
  return { kind: 'none' };
}

const DEFAULT_ENVIRONMENT = (): KubeEnvironment => ({ env: process.env, home: homedir(), serviceAccountPrefix: '' });

/** Loads the client library and the configuration of `target`; a clear failure when there is none to load. */
export async function openKube(
  target: KubeTarget,
  environment: KubeEnvironment = DEFAULT_ENVIRONMENT(),
): Promise<Result<KubeSession>> {
  const k8s = await loadKube();
  const config = new k8s.KubeConfig();
  const source = kubeConfigSource(target, environment);
  try {
    if (source.kind === 'none') {
      return fail(
        'unreachable',
        "No Kubernetes configuration was found: set the facility's kubeconfig path, or put one in $KUBECONFIG or ~/.kube/config.",
      );
    }
    if (source.kind === 'inCluster') {
      const token = `${environment.serviceAccountPrefix}${SERVICE_ACCOUNT}/token`;
      if (!existsSync(token)) {
        return fail(
          'unauthorized',
          `This runs inside a cluster (KUBERNETES_SERVICE_HOST is set) but the pod has no service account token at ${token}; give the facility a kubeconfig path instead.`,
        );
      }
      // The library reads KUBERNETES_SERVICE_HOST and _PORT from process.env itself.
      config.loadFromCluster(environment.serviceAccountPrefix);
    } else {
      config.loadFromFile(source.files[0]);
      for (const file of source.files.slice(1)) {
        const more = new k8s.KubeConfig();
        more.loadFromFile(file);
        config.mergeConfig(more, true);
      }
    }
    if (target.context) {
      if (!config.getContextObject(target.context)) {
        return fail('notFound', `The Kubernetes configuration has no context "${target.context}".`);
      }
      config.setCurrentContext(target.context);
    }
  } catch (error) {
    return fail('unreachable', `The Kubernetes configuration could not be read: ${redact(messageOf(error))}.`);
  }
  if (!config.getCurrentCluster()) {
    return fail('unreachable', 'The Kubernetes configuration names no cluster for its current context.');
  }
  const namespace =
    target.namespace ?? config.getContextObject(config.getCurrentContext())?.namespace?.trim() ?? 'default';
  return ok({ k8s, config, namespace: namespace || 'default' });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
