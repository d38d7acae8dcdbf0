import * as vscode from 'vscode';
import { joinUrl } from '../facility/urls';
import { isTransformNode } from '../trees/datasetsTree';
import { CommandIds } from './ids';

/**
 * `coffeaCasa.openTransformPage transformNode`: the request's page on the ServiceX web site, or its failed files when
 * some failed (servicex-facts.md §1.4, web routes).
 */
export function registerOpenTransformPage(): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.openTransformPage, async (...args: unknown[]) => {
    const node = args[0];
    if (!isTransformNode(node)) return undefined;
    const id = encodeURIComponent(node.transform.requestId);
    const page =
      node.transform.filesFailed > 0
        ? joinUrl(node.url, `transformation-request/${id}/results?status=failure`)
        : joinUrl(node.url, `transformation-request/${id}`);
    await vscode.env.openExternal(vscode.Uri.parse(page));
    return page;
  });
}
