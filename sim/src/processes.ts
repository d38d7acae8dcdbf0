import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { log } from './log';

/** A program the simulator started, known by its PID. */
export interface Child {
  readonly name: string;
  readonly pid: number;
  /** Resolves with a description such as "exit code 1" once the process has ended. */
  readonly exited: Promise<string>;
  readonly hasExited: () => boolean;
}

/** How to start one program: its working directory, environment and the file that gets its stdout and stderr. */
export interface StartOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
}

const STOP_DEADLINE_MS = 10_000;

/** Starts programs, remembers them, and stops them all by PID in a given order. */
export class ProcessTable {
  private readonly children: Child[] = [];
  private readonly stopping = new Map<number, Promise<void>>();
  private closing = false;

  /** Starts `command` in its own process group, so a Ctrl+C in the terminal reaches only the simulator. */
  start(name: string, command: string, args: string[], options: StartOptions): Child {
    if (this.closing) throw new Error('the simulator is shutting down');
    const fd = openSync(options.logFile, 'a');
    let proc;
    try {
      proc = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', fd, fd], detached: true });
    } finally {
      closeSync(fd);
    }
    let ended = false;
    const exited = new Promise<string>((resolve) => {
      proc.once('error', (error) => {
        ended = true;
        resolve(`could not start: ${error.message}`);
      });
      proc.once('exit', (code, killedBy) => {
        ended = true;
        resolve(killedBy ? `killed by ${killedBy}` : `exit code ${code}`);
      });
    });
    if (proc.pid === undefined) throw new Error(`${command} could not be started`);
    const child: Child = { name, pid: proc.pid, exited, hasExited: () => ended };
    this.children.push(child);
    log(`started ${name} (pid ${child.pid})`);
    return child;
  }

  /** The children still running. */
  running(): { name: string; pid: number }[] {
    return this.children.filter((child) => !child.hasExited()).map(({ name, pid }) => ({ name, pid }));
  }

  /** Stops one child: SIGTERM, then SIGKILL to its whole process group after the deadline. Safe to call twice. */
  stop(child: Child): Promise<void> {
    let stopping = this.stopping.get(child.pid);
    if (!stopping) {
      stopping = terminate(child);
      this.stopping.set(child.pid, stopping);
    }
    return stopping;
  }

  /**
   * Stops every child, those named in `order` first and in that order, the rest newest first.
   * Any descendant still alive afterwards (a server its parent forgot) is killed, so nothing outlives the simulator.
   */
  async closeAll(order: string[]): Promise<void> {
    this.closing = true;
    const rank = (child: Child) => {
      const index = order.indexOf(child.name);
      return index < 0 ? order.length : index;
    };
    const sorted = [...this.children].reverse().sort((a, b) => rank(a) - rank(b));
    // Descendants are noted before each stop, while their parent still holds them: once it dies they move to init.
    const seen = new Map<number, string>();
    for (const child of sorted) {
      for (const { pid, startTime } of descendants(process.pid)) seen.set(pid, startTime);
      await this.stop(child);
    }
    for (const [pid, startTime] of seen) {
      const stat = procStat(pid);
      if (stat?.startTime === startTime) {
        log(`pid ${pid} (${stat.command}) outlived its parent; killing it`);
        signal(pid, 'SIGKILL');
      }
    }
  }
}

async function terminate(child: Child): Promise<void> {
  if (child.hasExited()) return;
  signal(child.pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), STOP_DEADLINE_MS)));
  const outcome = await Promise.race([child.exited, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    log(`${child.name} (pid ${child.pid}) ignored SIGTERM for ${STOP_DEADLINE_MS / 1000} s; killing its process group`);
    signal(-child.pid, 'SIGKILL');
    await child.exited;
  }
  log(`stopped ${child.name} (pid ${child.pid})`);
}

/** Every live descendant of `root` with its start time, read from /proc; empty where there is no /proc. */
export function descendants(root: number): { pid: number; startTime: string }[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const byParent = new Map<number, { pid: number; startTime: string }[]>();
  for (const entry of entries) {
    const stat = procStat(Number(entry));
    if (!stat) continue;
    const siblings = byParent.get(stat.ppid) ?? [];
    siblings.push({ pid: Number(entry), startTime: stat.startTime });
    byParent.set(stat.ppid, siblings);
  }
  const found: { pid: number; startTime: string }[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of byParent.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Command name, parent PID and start time of a live (not zombie) process, from /proc/<pid>/stat (proc(5)). */
function procStat(pid: number): { command: string; ppid: number; startTime: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses, so the fields are counted after its closing one.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    if (fields[0] === 'Z') return undefined;
    return { command: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(fields[1]), startTime: fields[19] };
  } catch {
    return undefined;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // The process (or group) is already gone, which is what stopping wants.
  }
}

/** A signal that aborts when `child` ends, so waits on its readiness fail at once instead of at their deadline. */
export function exitSignal(child: Child): AbortSignal {
  const controller = new AbortController();
  void child.exited.then((how) => controller.abort(new Error(`${child.name} ended (${how})`)));
  return controller.signal;
}
