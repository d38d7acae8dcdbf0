import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import type { FeatureContext } from './context';
import { OPERATOR_DOCS } from './queryDocs';
import { KEYWORDS, analyzeScopes, tokenizeQuery } from './queryTokens';
import { embeddedScalar, taggedScalars, wholeText, type EmbeddedText } from './specRegion';

const TOKEN_TYPES = [
  'keyword',
  'method',
  'parameter',
  'string',
  'number',
  'property',
  'function',
  'variable',
  'comment',
] as const;
type TokenType = (typeof TOKEN_TYPES)[number];

/** The token types and modifiers the server reports, in the order their indices refer to. */
export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [] };

interface Placed {
  readonly line: number;
  readonly character: number;
  readonly length: number;
  readonly type: number;
}

/** Semantic tokens of the func_adl queries in a spec (each `!FuncADL_Uproot` scalar) or of a `.funcadl` file. */
export function semanticTokens(document: TextDocument, context: FeatureContext): SemanticTokens {
  const kind = context.kindOf(document);
  const placed: Placed[] = [];
  if (kind === 'funcadl') classify(document, wholeText(document.getText()), placed);
  else if (kind === 'spec') {
    const parsed = context.parsed(document);
    for (const scalar of taggedScalars(parsed, 0, document.getText(), ['!FuncADL_Uproot'])) {
      const embedded = embeddedScalar(scalar.node, 0);
      if (embedded) classify(document, embedded, placed);
    }
  }
  return { data: encode(placed) };
}

function classify(document: TextDocument, embedded: EmbeddedText, out: Placed[]): void {
  const tokens = tokenizeQuery(embedded.text);
  const { bindings, match } = analyzeScopes(tokens);
  tokens.forEach((token, i) => {
    const type = typeOf(i);
    if (!type) return;
    const range = embedded.toDocumentRange(token.start, token.end);
    const start = document.positionAt(range.start);
    const end = document.positionAt(range.end);
    // A token that a folded scalar spreads over several lines cannot be one semantic token; it keeps its colour.
    if (start.line !== end.line || end.character <= start.character) return;
    out.push({ ...start, length: end.character - start.character, type: TOKEN_TYPES.indexOf(type) });
  });

  function typeOf(i: number): TokenType | undefined {
    const token = tokens[i];
    if (token.kind === 'string' || token.kind === 'number' || token.kind === 'comment') return token.kind;
    if (token.kind !== 'name') return undefined;
    if (KEYWORDS.has(token.text)) return 'keyword';
    if (bindings.has(i)) return 'parameter';
    // A templated accessor, `j.getAttribute[cpp_float]('x')`, is a call too.
    const next = tokens[i + 1]?.text;
    const called = next === '(' || (next === '[' && match[i + 1] > 0 && tokens[match[i + 1] + 1]?.text === '(');
    if (tokens[i - 1]?.text === '.') return called ? 'method' : 'property';
    if (called) return token.text in OPERATOR_DOCS ? 'method' : 'function';
    return 'variable';
  }
}

function encode(placed: Placed[]): number[] {
  placed.sort((a, b) => a.line - b.line || a.character - b.character);
  const data: number[] = [];
  let line = 0;
  let character = 0;
  for (const token of placed) {
    data.push(token.line - line, token.line === line ? token.character - character : token.character);
    data.push(token.length, token.type, 0);
    line = token.line;
    character = token.character;
  }
  return data;
}
