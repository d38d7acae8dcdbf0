import { join } from 'node:path';
import type { Connections, FacilitySession } from '../connection/connections';
import type { ServiceXBackend, ServiceXBackends } from '../connection/servicexBackends';
import type { CacheContents } from '../delivery/localCache';
import type { Result } from '../facility/result';
import type { ServiceXInfo } from '../facility/servicex';
import { hostOf } from '../facility/urls';
import type { CachedDataset, TransformRecord } from '../servicex/records';
import { formatAge, formatBytes, plural } from './format';
import { failureNode, groupNode, leafNode, messageNode, type TreeNode } from './node';

/** Where a ServiceX object lives: what the dataset commands need to reach it again. */
export interface ServiceXPlace {
  readonly facility: string;
  readonly url: string;
}

/** A transform node; `kind` says whether it is still running (cancel) or done (download, histogram). */
export interface TransformNode extends TreeNode, ServiceXPlace {
  readonly kind: 'transform.running' | 'transform.done' | 'transform.complete';
  readonly transform: TransformRecord;
}

export function isTransformNode(value: unknown): value is TransformNode {
  const node = value as Partial<TransformNode> | undefined;
  return (
    typeof node?.kind === 'string' &&
    node.kind.startsWith('transform.') &&
    typeof node.facility === 'string' &&
    typeof node.url === 'string' &&
    typeof node.transform?.requestId === 'string'
  );
}

export interface DatasetNode extends TreeNode, ServiceXPlace {
  readonly kind: 'cachedDataset';
  readonly dataset: CachedDataset;
}

export function isDatasetNode(value: unknown): value is DatasetNode {
  const node = value as Partial<DatasetNode> | undefined;
  return node?.kind === 'cachedDataset' && typeof node.url === 'string' && typeof node.dataset?.id === 'number';
}

/** A record of the Python client's local cache, or a folder no record mentions. */
export interface CacheNode extends TreeNode {
  readonly kind: 'cacheRecord' | 'cacheOrphan';
  readonly folder: string;
  readonly title: string;
  readonly files: readonly string[];
}

export function isCacheNode(value: unknown): value is CacheNode {
  const node = value as Partial<CacheNode> | undefined;
  return (node?.kind === 'cacheRecord' || node?.kind === 'cacheOrphan') && typeof node.folder === 'string';
}

/** What the view asks for when a group is expanded; undefined when the facility is no longer connected. */
export interface DatasetLoaders {
  readonly backends: ServiceXBackends;
  transforms(place: ServiceXPlace): Promise<Result<TransformRecord[]> | undefined>;
  datasets(place: ServiceXPlace): Promise<Result<CachedDataset[]> | undefined>;
  localCache(): Promise<{ folder: string; contents: CacheContents }>;
}

/**
 * The loaders the view uses: read-only calls with each endpoint's token. `onTransforms` hears whether a listing saw a
 * running transform, so that the view can follow it more closely than the facility poller does.
 */
export function datasetLoaders(
  connections: Connections,
  backends: ServiceXBackends,
  onTransforms?: (seen: 'running' | 'idle' | 'failed') => void,
): DatasetLoaders {
  return {
    backends,
    transforms: async (place) => {
      const listed = await connections.read(place.facility, async (facility, signal) =>
        (await backends.client(facility, place.url)).listTransforms(signal),
      );
      if (listed) {
        const running = listed.ok && listed.value.some((t) => !DONE.includes(t.status));
        onTransforms?.(!listed.ok ? 'failed' : running ? 'running' : 'idle');
      }
      return listed;
    },
    datasets: (place) =>
      connections.read(place.facility, async (facility, signal) =>
        (await backends.client(facility, place.url)).datasets(signal),
      ),
    localCache: async () => {
      const { readLocalCache } = await import('../delivery/localCache.js');
      const folder = backends.cacheFolder();
      return { folder, contents: await readLocalCache(folder) };
    },
  };
}

/** The Datasets view: per ServiceX endpoint, the user's transforms and the cached datasets; and the local cache. */
export function datasetsContent(session: FacilitySession, loaders?: DatasetLoaders): TreeNode[] {
  if (!session.snapshot) return [];
  const result = session.snapshot.servicex;
  const backends = loaders?.backends.backends(session.profile) ?? [];
  if (backends.length === 0) {
    return [messageNode('No ServiceX endpoint in this facility profile (set "servicexUrl") or in a servicex.yaml')];
  }
  const nodes = backends.map((backend) =>
    backend.source === 'profile' && result && !result.ok
      ? failureNode('ServiceX', result.error)
      : backendNode(
          session.profile.name,
          backend,
          backend.source === 'profile' && result?.ok ? result.value : undefined,
          loaders,
        ),
  );
  if (loaders) nodes.push(localCacheNode(loaders));
  return nodes;
}

function backendNode(
  facility: string,
  backend: ServiceXBackend,
  info: ServiceXInfo | undefined,
  loaders: DatasetLoaders | undefined,
): TreeNode {
  const place = { facility, url: backend.url };
  const children = (): TreeNode[] => {
    const nodes: TreeNode[] = [];
    if (loaders) {
      nodes.push(
        groupNode('transforms', 'Transforms', () => transformNodes(place, loaders), {
          icon: 'list-ordered',
          expanded: true,
        }),
        groupNode('cachedDatasets', 'Cached datasets', () => datasetNodes(place, loaders), { icon: 'database' }),
      );
    }
    if (info) {
      const codegens = Object.entries(info.codegens);
      nodes.push(
        groupNode(
          'codegens',
          'Code generators',
          () =>
            codegens.map(([name, image]) => leafNode('codegen', name, { description: image, icon: 'symbol-method' })),
          { description: String(codegens.length), icon: 'gear' },
        ),
      );
    }
    return nodes;
  };
  const label = backend.source === 'profile' ? `ServiceX ${hostOf(backend.url)}` : `ServiceX ${backend.name}`;
  return groupNode('servicexEndpoint', label, children, {
    description: info ? `version ${info.appVersion}` : backend.source,
    icon: 'cloud',
    expanded: true,
    tooltip: `${backend.url}${backend.source === 'servicex.yaml' ? ' (from servicex.yaml)' : ''}`,
  });
}

async function transformNodes(place: ServiceXPlace, loaders: DatasetLoaders): Promise<TreeNode[]> {
  const listed = await loaders.transforms(place);
  if (!listed) return [messageNode(`${place.facility} is not connected`)];
  if (!listed.ok) return [failureNode('Transforms', listed.error)];
  if (listed.value.length === 0) return [messageNode('No transforms yet: deliver a spec with the Deliver lens')];
  // Newest first, as the web dashboard lists them.
  const sorted = [...listed.value].sort((a, b) => (b.submitTime ?? '').localeCompare(a.submitTime ?? ''));
  return sorted.map((transform) => transformNode(place, transform));
}

const DONE = ['Complete', 'Fatal', 'Canceled', 'Bad Dataset'];

/** "12/20 files · 1 failed" for a transform's progress. */
export function transformProgress(t: TransformRecord): string {
  const total = t.files > 0 ? `${t.filesCompleted}/${t.files} files` : 'looking up files';
  return [total, t.filesFailed > 0 ? `${t.filesFailed} failed` : ''].filter(Boolean).join(' · ');
}

function transformNode(place: ServiceXPlace, transform: TransformRecord): TransformNode {
  const done = DONE.includes(transform.status);
  const kind = !done ? 'transform.running' : transform.status === 'Complete' ? 'transform.complete' : 'transform.done';
  const icon =
    transform.status === 'Complete'
      ? transform.filesFailed > 0
        ? 'warning'
        : 'pass'
      : transform.status === 'Canceled'
        ? 'circle-slash'
        : done
          ? 'error'
          : 'loading~spin';
  const codegen = transform.codegenImage?.split('/').pop();
  const tooltip = [
    `${transform.title ?? transform.requestId}: ${transform.status}`,
    `Request ${transform.requestId}`,
    `Dataset ${transform.did}`,
    codegen && `Code generator image ${transform.codegenImage}`,
    transform.resultFormat && `Result format ${transform.resultFormat}`,
    transform.submitTime && `Submitted ${transform.submitTime}`,
    transform.finishTime && `Finished ${transform.finishTime}`,
    transform.failureInfo && `Failure: ${transform.failureInfo}`,
    transform.filesFailed > 0 &&
      `${plural(transform.filesFailed, 'file')} failed: see ${place.url}/transformation-request/${transform.requestId}/results?status=failure`,
  ]
    .filter(Boolean)
    .join('\n');
  const node = leafNode(kind, transform.title ?? transform.requestId, {
    description: `${transform.status} · ${transformProgress(transform)}${transform.submitTime ? ` · ${formatAge(transform.submitTime) ?? ''}` : ''}`,
    tooltip,
    icon,
  });
  return { ...node, kind, ...place, transform };
}

async function datasetNodes(place: ServiceXPlace, loaders: DatasetLoaders): Promise<TreeNode[]> {
  const listed = await loaders.datasets(place);
  if (!listed) return [messageNode(`${place.facility} is not connected`)];
  if (!listed.ok) {
    return listed.error.kind === 'notFound'
      ? [messageNode('This ServiceX is too old to list its cached datasets')]
      : [failureNode('Cached datasets', listed.error)];
  }
  if (listed.value.length === 0) return [messageNode('No cached datasets')];
  return listed.value.map((dataset): DatasetNode => {
    const description = [
      dataset.didFinder,
      plural(dataset.files, 'file'),
      formatBytes(dataset.size),
      plural(dataset.events, 'event'),
      dataset.lookupStatus,
      dataset.stale ? 'stale' : '',
    ]
      .filter(Boolean)
      .join(' · ');
    const node = leafNode('cachedDataset', dataset.name, {
      description,
      icon: dataset.stale ? 'history' : 'database',
      tooltip: [dataset.name, description, dataset.lastUsed && `Last used ${dataset.lastUsed}`]
        .filter(Boolean)
        .join('\n'),
    });
    return { ...node, kind: 'cachedDataset', ...place, dataset };
  });
}

function localCacheNode(loaders: DatasetLoaders): TreeNode {
  return groupNode(
    'localCache',
    'Local cache',
    async () => {
      const { folder, contents } = await loaders.localCache();
      const nodes: TreeNode[] = contents.records.map((record): CacheNode => {
        const title = record.title ?? record.requestId ?? record.hash ?? record.id;
        const node = leafNode('cacheRecord', title, {
          description: [
            record.status === 'SUBMITTED' ? 'submitted' : plural(record.fileList.length, 'file'),
            record.codegen,
            record.resultFormat,
          ]
            .filter(Boolean)
            .join(' · '),
          tooltip: [record.requestId && `Request ${record.requestId}`, record.dataDir, record.submitTime]
            .filter(Boolean)
            .join('\n'),
          icon: 'file-binary',
        });
        return { ...node, kind: 'cacheRecord', folder: record.dataDir ?? folder, title, files: record.fileList };
      });
      for (const name of contents.orphanFolders) {
        const path = join(folder, name);
        const node = leafNode('cacheOrphan', name, {
          description: 'not in db.json (cancelled or failed run)',
          icon: 'folder',
          tooltip: path,
        });
        const orphanNode: CacheNode = { ...node, kind: 'cacheOrphan', folder: path, title: name, files: [] };
        nodes.push(orphanNode);
      }
      for (const problem of contents.problems) nodes.push(messageNode(problem, 'warning'));
      if (nodes.length === 0) nodes.push(messageNode(`Nothing cached in ${folder}`));
      return nodes;
    },
    { icon: 'archive', tooltip: "The ServiceX Python client's cache (db.json and its download folders)" },
  );
}
