import type { Loc, ScalarNode } from '../nodes';
import { siteOf } from '../nodes';
import { KNOWN_CODEGENS, suggestion } from '../schema';
import type { CheckContext } from './context';

const quoted = (s: string) => `"${s}"`;

/** Checks a `Codegen` value against the facility's code generators, or the known ones when not connected. */
export function checkCodegenName(node: ScalarNode, context: CheckContext): void {
  const name = node.text;
  const offered = context.options.codegens;
  if (offered) {
    if (offered.includes(name)) return;
    const message = `The connected ServiceX has no code generator "${name}"; it offers ${list(offered)}.${suggestion(name, offered, quoted)} The client fails with NameError when it submits.`;
    context.reporter.at(siteOf(node), 'spec/unknown-codegen', 'error', message);
    return;
  }
  if ((KNOWN_CODEGENS as readonly string[]).includes(name)) return;
  const message = `"${name}" is not a code generator the ServiceX client knows (${list(KNOWN_CODEGENS)}).${suggestion(name, KNOWN_CODEGENS, quoted)} Connect to the facility to check against its own list.`;
  context.reporter.at(siteOf(node), 'spec/unknown-codegen', 'warning', message);
}

/** Checks that the facility offers the code generator a query tag uses when no Codegen is given. */
export function checkTagCodegen(tag: string, codegen: string, at: Loc, context: CheckContext): void {
  const offered = context.options.codegens;
  if (!offered || offered.includes(codegen)) return;
  const message = `The connected ServiceX has no "${codegen}" code generator, which ${tag} queries use; it offers ${list(offered)}. Ask the facility to enable it, or use another query type.`;
  context.reporter.at(at, 'spec/unknown-codegen', 'error', message);
}

function list(names: readonly string[]): string {
  return names.length === 0 ? 'none' : [...names].sort().join(', ');
}
