import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { CliIo } from '../cli';
import { createLanguageService } from '../language/service';

const USAGE = 'Usage: coffea-casa check [--format text|json] FILE...';
const SEVERITY_NAMES = ['error', 'error', 'warning', 'information', 'hint'] as const;
const LANGUAGES: Readonly<Record<string, string>> = { '.funcadl': 'funcadl', '.qastle': 'qastle' };

/** One diagnostic in `--format json` output: 0-based lines and characters, as in LSP. */
export interface CheckJsonEntry {
  file: string;
  range: Diagnostic['range'];
  severity: (typeof SEVERITY_NAMES)[number];
  code: string;
  message: string;
}

/**
 * `coffea-casa check [--format text|json] FILE...`: checks ServiceX specs, `.funcadl` and `.qastle` files. Exits 1
 * when an error was found, 2 on a usage error or an unreadable file, 0 otherwise.
 */
export function runCheck(args: readonly string[], io: CliIo): Promise<number> {
  return Promise.resolve(check(args, io));
}

function check(args: readonly string[], io: CliIo): number {
  const parsed = parseArguments(args);
  if ('help' in parsed) {
    io.out(USAGE);
    return 0;
  }
  if ('problem' in parsed) {
    io.err(`coffea-casa check: ${parsed.problem}\n${USAGE}`);
    return 2;
  }
  const service = createLanguageService({ readFile: readText });
  const entries: CheckJsonEntry[] = [];
  let unreadable = false;
  for (const file of parsed.files) {
    const text = readText(resolve(file));
    if (text === undefined) {
      io.err(`coffea-casa check: cannot read ${file}: ${readError(file)}`);
      unreadable = true;
      continue;
    }
    const language = LANGUAGES[extname(file).toLowerCase()] ?? 'yaml';
    const document = TextDocument.create(pathToFileURL(resolve(file)).href, language, 0, text);
    if (service.kindOf(document) === 'other') {
      if (parsed.format === 'text') {
        io.out(
          `${file}: skipped: not a ServiceX spec (no top-level Sample, General or Definition and no ServiceX tag)`,
        );
      }
      continue;
    }
    for (const d of service.validate(document)) {
      const severity = SEVERITY_NAMES[d.severity ?? 1];
      entries.push({ file, range: d.range, severity, code: String(d.code ?? ''), message: d.message });
    }
  }
  if (parsed.format === 'json') io.out(JSON.stringify(entries, null, 2));
  else {
    for (const e of entries) {
      io.out(
        `${e.file}:${e.range.start.line + 1}:${e.range.start.character + 1}: ${e.severity} ${e.code} ${e.message}`,
      );
    }
  }
  if (unreadable) return 2;
  return entries.some((e) => e.severity === 'error') ? 1 : 0;
}

type Arguments = { help: true } | { problem: string } | { format: 'text' | 'json'; files: string[] };

function parseArguments(args: readonly string[]): Arguments {
  let format = 'text';
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      files.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') return { help: true };
    if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg === '--format' ? args[++i] : arg.slice('--format='.length);
      if (value === undefined) return { problem: '--format needs a value: text or json.' };
      format = value;
    } else if (arg.startsWith('-') && arg !== '-') return { problem: `unknown option "${arg}".` };
    else files.push(arg);
  }
  if (format !== 'text' && format !== 'json') return { problem: `unknown format "${format}": use text or json.` };
  if (files.length === 0) return { problem: 'no files given.' };
  return { format, files };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function readError(path: string): string {
  try {
    readFileSync(path);
    return 'unknown error';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EISDIR') return 'it is a directory';
    if (code === 'EACCES') return 'permission denied';
    return error instanceof Error ? error.message : String(error);
  }
}
