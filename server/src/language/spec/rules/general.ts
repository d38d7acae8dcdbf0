import type { MapNode, SpecNode } from '../nodes';
import { entry, isNull, siteOf } from '../nodes';
import { DELIVERY_MODES, GENERAL_KEYS, OUTPUT_FORMATS, suggestion } from '../schema';
import { checkCodegenName } from './codegen';
import { checkKeys, expectBool, expectString, wrongType, type CheckContext } from './context';

/** Checks the `General` mapping (§3.3); returns it when it is one, for the sample rules that depend on it. */
export function checkGeneral(node: SpecNode, context: CheckContext): MapNode | undefined {
  if (node.kind !== 'map') {
    wrongType(node, 'General', 'a mapping of settings such as OutputFormat and Delivery', context);
    return undefined;
  }
  checkKeys(node, GENERAL_KEYS, 'General', context);
  const format = entry(node, 'OutputFormat')?.value;
  if (format && checkEnum(format, 'OutputFormat', OUTPUT_FORMATS, context)) context.outputFormat = format.text;
  const delivery = entry(node, 'Delivery')?.value;
  if (delivery) checkEnum(delivery, 'Delivery', DELIVERY_MODES, context);
  const codegen = entry(node, 'Codegen')?.value;
  if (codegen && expectString(codegen, 'General.Codegen', context)) checkCodegenName(codegen, context);
  const directory = entry(node, 'OutputDirectory')?.value;
  if (directory) expectString(directory, 'OutputDirectory', context);
  const fileset = entry(node, 'OutFilesetName')?.value;
  if (fileset) expectString(fileset, 'OutFilesetName', context, false);
  const ignore = entry(node, 'IgnoreLocalCache')?.value;
  if (ignore) expectBool(ignore, 'General.IgnoreLocalCache', context);
  return node;
}

function checkEnum(
  node: SpecNode,
  what: string,
  allowed: readonly string[],
  context: CheckContext,
): node is SpecNode & { kind: 'scalar'; text: string } {
  if (node.kind !== 'scalar' || node.tag !== undefined || isNull(node)) {
    wrongType(node, what, `one of ${allowed.join(', ')}`, context);
    return false;
  }
  if (allowed.includes(node.text)) return true;
  const restName = what === 'OutputFormat' && node.text === 'root-file' ? ' ("root-file" is the REST API name)' : '';
  const message = `${what} "${node.text}" is not one of ${allowed.join(', ')}${restName}.${suggestion(node.text, allowed)}`;
  context.reporter.at(siteOf(node), 'spec/invalid-value', 'error', message);
  return false;
}
