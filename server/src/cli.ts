#!/usr/bin/env node
import { runCheck } from './cli/check';
import { runQastle } from './cli/qastle';
import { runHist } from './cli/hist';
import { SERVER_NAME, SERVER_VERSION } from './version';

const USAGE = `Usage: coffea-casa <command> [options]

Commands:
  check [--format text|json] FILE...   check ServiceX spec YAML, .funcadl and .qastle files
  qastle [--tree NAME] QUERY|-         print the qastle the ServiceX client sends for a !FuncADL_Uproot query
  qastle --decode TEXT|-               print func_adl text back from qastle
  hist FILE --column NAME [options]    bin a ROOT branch or Parquet column; print UHI JSON or a table
  version                              print the version`;

/** The streams and files a command may use, so tests can run commands in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
}

/** Runs the CLI with `args` (without node and the script) and resolves to the exit code. */
export async function main(args: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case undefined:
      io.out(USAGE);
      return 2;
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return 0;
    case 'version':
    case '--version':
      io.out(`${SERVER_NAME} ${SERVER_VERSION}`);
      return 0;
    case 'check':
      return runCheck(rest, io);
    case 'qastle':
      return runQastle(rest, io);
    case 'hist':
      return runHist(rest, io);
    default:
      io.err(`coffea-casa: unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
