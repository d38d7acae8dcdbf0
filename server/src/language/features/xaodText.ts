import type { XaodClass, XaodCollection, XaodMethod } from '../xaod/typeDatabase';

/** The C++ declaration of an xAOD method, as hover and completion show it. */
export function methodSignature(cls: XaodClass | undefined, method: XaodMethod): string {
  const owner = cls ? `${cls.cppName}::` : '';
  const template = method.typeParameters.length
    ? `[${method.typeParameters.map((p) => `${p.name}: ${p.type}`).join(', ')}]`
    : '';
  const args = method.arguments.map((a) => `${a.type} ${a.name}`).join(', ');
  return `${method.returnType} ${owner}${method.name}${template}(${args})`;
}

/** The Python signature of an event collection, with its defaults. */
export function collectionSignature(collection: XaodCollection): string {
  const params = collection.parameters.map(
    (p) => `${p.name}: ${p.type}${p.defaultValue !== undefined ? ` = ${p.defaultValue}` : ''}`,
  );
  const result = collection.single ? collection.itemType : `Iterable[${collection.itemType}]`;
  return `${collection.name}(${params.join(', ')}) -> ${result}`;
}

/** What completion inserts for a method call: its arguments as placeholders. */
export function methodSnippet(method: XaodMethod): string {
  let n = 1;
  const template = method.typeParameters.length
    ? `[${method.typeParameters.map((p) => `\${${n++}:${p.name === 'attribute_type' ? 'cpp_float' : p.name}}`).join(', ')}]`
    : '';
  const args = method.arguments.map((a) => `\${${n++}:${a.name}}`).join(', ');
  return `${escapeSnippet(method.name)}${template}(${args})`;
}

/** What completion inserts for a collection: required names as quoted placeholders, defaults left out. */
export function collectionSnippet(collection: XaodCollection): string {
  const required = collection.parameters.filter((p) => p.defaultValue === undefined);
  const args = required.map((p, i) => `"\${${i + 1}:${i === 0 ? collection.name : p.name}}"`).join(', ');
  return `${escapeSnippet(collection.name)}(${args})`;
}

/** The class name without its namespace and version: `xAOD.Jet_v1` → `Jet`. */
export function shortClassName(pythonName: string): string {
  return pythonName.replace(/^.*[.:]/, '').replace(/_v\d+$/, '');
}

/** Escapes the characters that mean something in snippet syntax. */
export function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, '\\$&');
}
