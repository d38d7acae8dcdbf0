import type { FacilitySession } from '../connection/connections';
import type { ServiceXInfo } from '../facility/servicex';
import { failureNode, groupNode, leafNode, messageNode, type TreeNode } from './node';
import { hostOf } from '../facility/urls';

/** The Datasets view: the facility's ServiceX endpoint and what it offers. */
export function datasetsContent(session: FacilitySession): TreeNode[] {
  const result = session.snapshot?.servicex;
  if (!session.snapshot) return [];
  if (!result) return [messageNode('No ServiceX endpoint in this facility profile (set "servicexUrl")')];
  if (!result.ok) return [failureNode('ServiceX', result.error)];
  return [endpointNode(session.profile.servicexUrl ?? '', result.value)];
}

function endpointNode(url: string, info: ServiceXInfo): TreeNode {
  const codegens = Object.entries(info.codegens);
  return groupNode(
    'servicexEndpoint',
    `ServiceX ${hostOf(url)}`,
    () => [
      groupNode(
        'codegens',
        'Code generators',
        () => codegens.map(([name, image]) => leafNode('codegen', name, { description: image, icon: 'symbol-method' })),
        { description: String(codegens.length), icon: 'gear' },
      ),
      groupNode(
        'capabilities',
        'Capabilities',
        () => info.capabilities.map((c) => leafNode('capability', c, { icon: 'check' })),
        { description: String(info.capabilities.length), icon: 'checklist' },
      ),
    ],
    { description: `version ${info.appVersion}`, icon: 'database', expanded: true, tooltip: url },
  );
}
