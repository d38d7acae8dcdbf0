import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar, type IOnigLib } from 'vscode-textmate';

let onigLib: Promise<IOnigLib> | undefined;

function loadOniguruma(): Promise<IOnigLib> {
  onigLib ??= (async () => {
    const wasm = readFileSync(join(require.resolve('vscode-oniguruma'), '..', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return {
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    };
  })();
  return onigLib;
}

/**
 * Loads TextMate grammars the way VS Code does (vscode-textmate over Oniguruma), from files keyed by scope name;
 * `injections` lists the injection grammars for a host scope.
 */
export async function loadGrammar(
  scopeName: string,
  files: Record<string, string>,
  injections: Record<string, string[]> = {},
): Promise<IGrammar> {
  const registry = new Registry({
    onigLib: loadOniguruma(),
    loadGrammar: (scope) => {
      const file = files[scope];
      return Promise.resolve(file ? parseRawGrammar(readFileSync(file, 'utf8'), file) : null);
    },
    getInjections: (scope) => injections[scope],
  });
  const grammar = await registry.loadGrammar(scopeName);
  if (!grammar) throw new Error(`grammar ${scopeName} did not load`);
  return grammar;
}

/** Tokenises `text` line by line and returns each token's text with its innermost scopes. */
export function tokenize(grammar: IGrammar, text: string): { text: string; scopes: string[] }[] {
  const tokens: { text: string; scopes: string[] }[] = [];
  let state = INITIAL;
  for (const line of text.split('\n')) {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      tokens.push({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    }
    state = result.ruleStack;
  }
  return tokens;
}

/** The scopes of the first token whose text is exactly `text`. */
export function scopesOf(tokens: { text: string; scopes: string[] }[], text: string): string[] {
  const token = tokens.find((t) => t.text === text);
  if (!token) throw new Error(`no token "${text}" in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return token.scopes;
}
