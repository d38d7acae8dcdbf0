#!/usr/bin/env node
import { SERVER_NAME, SERVER_VERSION } from './version';

const USAGE = `Usage: coffea-casa <command> [options]

Commands:
  version        print the version of the ServiceX query checker

The spec checker (coffea-casa check) and the histogram command (coffea-casa hist) come with later releases.`;

/** Runs the CLI with `args` (without node and the script) and returns the exit code. */
export function main(args: readonly string[]): number {
  const [command] = args;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === 'version' || command === '--version') {
    console.log(`${SERVER_NAME} ${SERVER_VERSION}`);
    return 0;
  }
  console.error(`coffea-casa: unknown command "${command}".\n\n${USAGE}`);
  return 2;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
