import { parse } from 'yaml';

/** An argument or template parameter of an xAOD method. */
export interface XaodArgument {
  readonly name: string;
  readonly type: string;
}

/** A method of an xAOD class, with the C++ return type as the type database spells it. */
export interface XaodMethod {
  readonly name: string;
  readonly returnType: string;
  readonly arguments: readonly XaodArgument[];
  /** Square-bracket parameters, as in `getAttribute[cpp_float]('name')`. */
  readonly typeParameters: readonly XaodArgument[];
}

/** A class of the type database (`classes:`), keyed by its Python name (`xAOD.Jet_v1`). */
export interface XaodClass {
  readonly pythonName: string;
  readonly cppName: string;
  readonly methods: ReadonlyMap<string, XaodMethod>;
  /** For container classes, the Python name of the element type. */
  readonly elementType?: string;
  /** C++ types whose methods this class also offers (element links behave like the object they point to). */
  readonly behavesLike: readonly string[];
}

/** An event-level collection (`collections:`), reached as `e.Jets(...)`. */
export interface XaodCollection {
  readonly name: string;
  /** Python type of one element, e.g. `xAOD.Jet_v1`. */
  readonly itemType: string;
  readonly cppItemType: string;
  /** True when the collection is a single object (`EventInfo`), not an iterable. */
  readonly single: boolean;
  readonly parameters: readonly (XaodArgument & { readonly defaultValue?: string })[];
}

type Raw = Record<string, unknown>;

const asList = (value: unknown): Raw[] =>
  Array.isArray(value) ? value.filter((v): v is Raw => typeof v === 'object' && v !== null) : [];
const asString = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
// Default values are Python source (`True`, `None`); YAML reads `True` as a boolean, so it is spelled back.
const pythonLiteral = (value: unknown): string =>
  typeof value === 'boolean' ? (value ? 'True' : 'False') : asString(value);
const argumentsOf = (value: unknown): XaodArgument[] =>
  asList(value).map((a) => ({ name: asString(a.name), type: asString(a.type) }));

/**
 * The ATLAS xAOD type database of func_adl_servicex_type_generator (servicex-facts.md §4.4): which collections an event
 * has, which methods each class offers and what they return. It drives completion, hover and the checks of
 * xAOD-style calls; it is data only, nothing in it is executed.
 */
export class XaodTypeDatabase {
  private constructor(
    private readonly collectionsByName: ReadonlyMap<string, XaodCollection>,
    private readonly classesByPython: ReadonlyMap<string, XaodClass>,
    private readonly pythonByCpp: ReadonlyMap<string, string>,
  ) {}

  /** Reads the type-generator YAML. */
  static parse(yamlText: string): XaodTypeDatabase {
    const raw = (parse(yamlText, { maxAliasCount: -1 }) ?? {}) as Raw;
    const collections = new Map<string, XaodCollection>();
    for (const c of asList(raw.collections)) {
      const name = asString(c.collection_name);
      const itemType = asString(c.python_item_type);
      collections.set(name, {
        name,
        itemType,
        cppItemType: asString(c.cpp_item_type),
        single: asString(c.python_container_type) === itemType,
        parameters: asList(c.parameters).map((p) => ({
          name: asString(p.name),
          type: asString(p.type),
          ...(p.default_value !== undefined ? { defaultValue: pythonLiteral(p.default_value) } : {}),
        })),
      });
    }
    const classes = new Map<string, XaodClass>();
    const pythonByCpp = new Map<string, string>();
    for (const c of asList(raw.classes)) {
      const methods = new Map<string, XaodMethod>();
      for (const m of asList(c.methods)) {
        const name = asString(m.name);
        methods.set(name, {
          name,
          returnType: asString(m.return_type),
          arguments: argumentsOf(m.arguments),
          typeParameters: argumentsOf(m.parameter_arguments),
        });
      }
      const pythonName = asString(c.python_name);
      const cppName = asString(c.cpp_name);
      const element = asString(c.is_container_of_python);
      classes.set(pythonName, {
        pythonName,
        cppName,
        methods,
        ...(element ? { elementType: element } : {}),
        behavesLike: (Array.isArray(c.also_behaves_like) ? c.also_behaves_like : []).map(asString),
      });
      pythonByCpp.set(cppName, pythonName);
    }
    return new XaodTypeDatabase(collections, classes, pythonByCpp);
  }

  collections(): XaodCollection[] {
    return [...this.collectionsByName.values()];
  }

  collection(name: string): XaodCollection | undefined {
    return this.collectionsByName.get(name);
  }

  classCount(): number {
    return this.classesByPython.size;
  }

  /** The class for a Python name (`xAOD.Jet_v1`) or a C++ type as methods return it (`const xAOD::Jet_v1 *`). */
  classOf(type: string): XaodClass | undefined {
    const byPython = this.classesByPython.get(type);
    if (byPython) return byPython;
    const python = this.pythonByCpp.get(bareCppType(type));
    return python ? this.classesByPython.get(python) : undefined;
  }

  /** Every method a value of `type` offers, including those of the types it behaves like. */
  methodsOf(type: string): XaodMethod[] {
    const seen = new Set<string>();
    const result: XaodMethod[] = [];
    const visit = (t: string, depth: number) => {
      const cls = this.classOf(t);
      if (!cls || seen.has(cls.pythonName) || depth > 4) return;
      seen.add(cls.pythonName);
      for (const method of cls.methods.values()) if (!result.some((m) => m.name === method.name)) result.push(method);
      for (const other of cls.behavesLike) visit(other, depth + 1);
    };
    visit(type, 0);
    return result;
  }

  /** One method of a type, looked up through the types it behaves like. */
  method(type: string, name: string): XaodMethod | undefined {
    return this.methodsOf(type).find((m) => m.name === name);
  }
}

/** Strips `const`, pointers and references: `const xAOD::IParticle *` → `xAOD::IParticle`. */
export function bareCppType(type: string): string {
  return type
    .replace(/\bconst\b/g, '')
    .replace(/[*&]+/g, '')
    .trim();
}
