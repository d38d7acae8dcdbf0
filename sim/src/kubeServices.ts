// Seed services of the user's namespace, shaped as the Kubernetes API returns core/v1 Service objects (Kubernetes API
// reference, "Service v1 core"). The `triton` service selects the Triton pod (app=triton) and exposes the ports of
// servicex-facts.md §7 (HTTP 8000, gRPC 8001, metrics 8002); the Dask scheduler service selects no pod here, as a
// cluster that has been shut down leaves its service behind.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from './kubeState';

interface ServiceSeed {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly clusterIP: string;
  readonly ports: { name: string; port: number; targetPort: number | string }[];
}

/** The seed services of `namespace`, created `startedAt`, with resource versions from `firstVersion` up. */
export function seedServices(namespace: string, startedAt: Date, firstVersion: number): KubeObject[] {
  const seeds: ServiceSeed[] = [
    {
      name: 'triton',
      labels: { app: 'triton', 'app.kubernetes.io/name': 'tritonserver' },
      selector: { app: 'triton' },
      clusterIP: '10.96.41.7',
      ports: [
        { name: 'http', port: 8000, targetPort: 8000 },
        { name: 'grpc', port: 8001, targetPort: 8001 },
        { name: 'metrics', port: 8002, targetPort: 'metrics' },
      ],
    },
    {
      name: `dask-${namespace}`,
      labels: { 'app.kubernetes.io/name': 'dask-scheduler', 'app.kubernetes.io/instance': `dask-${namespace}` },
      selector: { 'app.kubernetes.io/name': 'dask-scheduler', 'app.kubernetes.io/instance': `dask-${namespace}` },
      clusterIP: '10.96.52.19',
      ports: [
        { name: 'tcp-comm', port: 8786, targetPort: 8786 },
        { name: 'http-dashboard', port: 8787, targetPort: 8787 },
      ],
    },
  ];
  const time = startedAt.toISOString().replace(/\.\d+Z$/, 'Z');
  return seeds.map((seed, index) => ({
    metadata: {
      name: seed.name,
      namespace,
      uid: randomUUID(),
      resourceVersion: String(firstVersion + index),
      creationTimestamp: time,
      labels: seed.labels,
    },
    spec: {
      ports: seed.ports.map((port) => ({ protocol: 'TCP', ...port })),
      selector: seed.selector,
      clusterIP: seed.clusterIP,
      clusterIPs: [seed.clusterIP],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  }));
}
