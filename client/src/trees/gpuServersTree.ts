import type { FacilitySession } from '../connection/connections';
import type { PodSummary } from '../facility/kubernetes';
import type { TritonServer } from '../facility/triton';
import { plural } from './format';
import { failureNode, groupNode, leafNode, messageNode, type TreeNode } from './node';
import { hostOf } from '../facility/urls';

/** The GPU Servers view: Triton inference servers and the pods that use GPUs. */
export function gpuServersContent(session: FacilitySession): TreeNode[] {
  const snapshot = session.snapshot;
  if (!snapshot) return [];
  const nodes: TreeNode[] = [];
  if (snapshot.triton) {
    nodes.push(
      snapshot.triton.ok
        ? tritonNode(session.profile.tritonHttpUrl ?? '', snapshot.triton.value)
        : failureNode('Triton', snapshot.triton.error),
    );
  }
  if (snapshot.pods)
    nodes.push(snapshot.pods.ok ? gpuPodsNode(snapshot.pods.value) : failureNode('Kubernetes', snapshot.pods.error));
  if (nodes.length === 0) {
    nodes.push(messageNode('No Triton server or Kubernetes context in this facility profile (set "tritonHttpUrl")'));
  }
  return nodes;
}

function tritonNode(url: string, server: TritonServer): TreeNode {
  return groupNode(
    'tritonServer',
    `Triton ${hostOf(url)}`,
    () => server.extensions.map((e) => leafNode('tritonExtension', e, { icon: 'extensions' })),
    {
      description: `${server.ready ? 'ready' : 'not ready'} · ${server.version}`,
      icon: server.ready ? 'circuit-board' : 'warning',
      tooltip: `${server.name} ${server.version} at ${url}\nExtensions: ${server.extensions.join(', ')}`,
    },
  );
}

function gpuPodsNode(pods: PodSummary[]): TreeNode {
  const gpuPods = pods.filter((p) => p.gpus > 0);
  return groupNode(
    'gpuPods',
    'GPU pods',
    () =>
      gpuPods.length === 0
        ? [messageNode('No pod in this namespace requests a GPU')]
        : gpuPods.map((p) =>
            leafNode('gpuPod', p.name, {
              description: [p.phase, p.nodeName && `on ${p.nodeName}`, plural(p.gpus, 'GPU')]
                .filter(Boolean)
                .join(' · '),
              icon: 'vm',
            }),
          ),
    { description: `${gpuPods.length} of ${plural(pods.length, 'pod')}`, icon: 'layers', expanded: true },
  );
}
