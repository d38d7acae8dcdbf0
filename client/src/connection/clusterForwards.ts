import type * as vscode from 'vscode';
import type { PodPort } from '../facility/kubeDiscovery';
import type { PortForwardHandle, PortForwards } from '../facility/kubePortForward';
import type { FacilityProfile } from '../facility/profile';
import type { Result } from '../facility/result';
import type { Log } from '../log';
import type { Connections } from './connections';

/**
 * The port-forwards of each connected facility, for services only reachable inside its cluster. A facility's
 * forwards are opened on first use, reused per pod port, and all closed when the facility is disconnected.
 */
export class ClusterForwards implements vscode.Disposable {
  private readonly byFacility = new Map<string, PortForwards>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly connections: Connections,
    private readonly log: Log,
  ) {
    this.subscription = connections.onDidChange(() => void this.prune());
  }

  /** A local URL's forward to a pod port of the facility's namespace. */
  async forward(profile: FacilityProfile, target: PodPort): Promise<Result<PortForwardHandle>> {
    let forwards = this.byFacility.get(profile.name);
    if (!forwards) {
      const { PortForwards } = await import('../facility/kubePortForward.js');
      const kube = { kubeconfig: profile.kubeconfig, context: profile.kubeContext, namespace: profile.kubeNamespace };
      forwards = new PortForwards(kube, (message) => this.log.warn(`${profile.name}: port-forward: ${message}`));
      this.byFacility.set(profile.name, forwards);
    }
    return forwards.forward(target);
  }

  /** How many facilities have forwards open; for tests. */
  facilities(): string[] {
    return [...this.byFacility.keys()];
  }

  private async prune(): Promise<void> {
    const connected = new Set(this.connections.sessions().map((s) => s.profile.name));
    for (const [name, forwards] of this.byFacility) {
      if (connected.has(name)) continue;
      this.byFacility.delete(name);
      await forwards.dispose();
      this.log.info(`${name}: port-forwards closed.`);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    for (const forwards of this.byFacility.values()) void forwards.dispose();
    this.byFacility.clear();
  }
}
