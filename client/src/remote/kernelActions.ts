import { KernelAPI, ServerConnection, TerminalAPI } from '@jupyterlab/services';
import { fail, ok, type Result } from '../facility/result';
import { describeJupyterFailure } from './jupyterConnection';

// Plain TypeScript: the actions the Sessions view offers on one kernel or terminal of a user's Jupyter server, as the
// server's REST API has them (POST api/kernels/<id>/interrupt and /restart, DELETE api/kernels/<id> and
// api/terminals/<name>), made through @jupyterlab/services with the settings of jupyterConnection.ts.

/** What can be done to a kernel from its node. */
export type KernelAction = 'interrupt' | 'restart' | 'shutdown';

const KERNEL_VERBS: Record<KernelAction, string> = {
  interrupt: 'interrupted',
  restart: 'restarted',
  shutdown: 'shut down',
};

/** Interrupts, restarts or shuts down a kernel; a failure says which kernel and why, without the token. */
export async function kernelAction(
  settings: ServerConnection.ISettings,
  kernelId: string,
  action: KernelAction,
): Promise<Result<void>> {
  try {
    if (action === 'interrupt') await KernelAPI.interruptKernel(kernelId, settings);
    else if (action === 'restart') await KernelAPI.restartKernel(kernelId, settings);
    else await KernelAPI.shutdownKernel(kernelId, settings);
    return ok(undefined);
  } catch (error) {
    return failure(`The kernel ${kernelId} could not be ${KERNEL_VERBS[action]}`, error, 'the kernel no longer exists');
  }
}

/** Shuts a terminal down, ending its shell. */
export async function shutdownTerminal(settings: ServerConnection.ISettings, name: string): Promise<Result<void>> {
  try {
    await TerminalAPI.shutdownTerminal(name, settings);
    return ok(undefined);
  } catch (error) {
    return failure(`The terminal ${name} could not be shut down`, error, 'the terminal no longer exists');
  }
}

function failure(what: string, error: unknown, gone: string): Result<void> {
  const status = error instanceof ServerConnection.ResponseError ? error.response.status : undefined;
  // On a running server, 404 names the kernel or terminal, not the server (which answers 424 when stopped).
  const reason = status === 404 ? `${gone} (HTTP 404)` : describeJupyterFailure(error);
  const kind =
    status === undefined
      ? 'unreachable'
      : status === 401 || status === 403
        ? 'unauthorized'
        : status === 404
          ? 'notFound'
          : 'http';
  return fail(kind, `${what}: ${reason}.`, status);
}
