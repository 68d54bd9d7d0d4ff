// Helpers shared by the benchmark's processes. Plain ESM, no build step.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** `BENCH_SMOKE=1` or `--smoke`: seconds-long run that only checks the benchmark still works. */
export const SMOKE = process.env.BENCH_SMOKE === '1' || process.argv.includes('--smoke');

/**
 * Fixed ports below the ephemeral range (32768–60999 on Linux), so client sockets of the load
 * generator can never take them. Override the base with BENCH_PORT_BASE.
 */
export const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 21400);
if (!Number.isInteger(PORT_BASE) || PORT_BASE < 1024 || (PORT_BASE + 40 >= 32768 && PORT_BASE <= 60999)) {
  throw new Error(`BENCH_PORT_BASE=${process.env.BENCH_PORT_BASE} must be an integer port outside 32768–60999`);
}

export const AUDIENCE = 'localhost';
export const HOST = '127.0.0.1';

export function median(values) {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Percentile of an already sorted numeric array (nearest rank). */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

let tasksetWorks;
/** Whether `taskset -c N` can pin here (needs the binary and at least two CPUs). */
export function canPin() {
  if (tasksetWorks !== undefined) return tasksetWorks;
  if (process.env.BENCH_NO_TASKSET === '1') return (tasksetWorks = false);
  const probe = spawnSync('taskset', ['-c', '1', 'true'], { stdio: 'ignore', timeout: 5000 });
  tasksetWorks = probe.status === 0;
  return tasksetWorks;
}

/**
 * Spawns `node script args…` (this Node, or the binary `node` names), pinned to `core` when possible.
 * stdin stays open: children exit when it closes.
 */
export function spawnNode(script, args, { core, env, execArgv = [], node = process.execPath } = {}) {
  const command = [node, ...execArgv, script, ...args];
  const pinned = core !== undefined && canPin();
  if (pinned) command.unshift('taskset', '-c', String(core));
  // A pinned process gets a session of its own (setsid), as if started from its own terminal: with
  // Linux's autogroup scheduling the app then competes for its core as one program among the
  // machine's others, instead of sharing one group's share with the load generator on the other core.
  // It still exits when our end of its stdin closes.
  const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env }, detached: pinned });
  child.pinnedTo = pinned ? core : undefined;
  return child;
}

/** Children call this: leave when the parent goes away (its end of our stdin closes), whatever killed it. */
export function exitWithParent(cleanup = () => {}) {
  const leave = () => {
    try {
      cleanup();
    } finally {
      process.exit(0);
    }
  };
  process.stdin.on('end', leave);
  process.stdin.on('error', leave);
  process.stdin.resume();
  process.on('SIGTERM', leave);
  process.on('SIGINT', leave);
}

/** Resolves with the JSON after the first `prefix ` line on the child's stdout; rejects on exit or timeout. */
export function waitForLine(child, prefix, timeoutMs, label) {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    const timer = setTimeout(() => finish(new Error(`${label}: no ${prefix} line within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
    const onData = (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith(`${prefix} `)) {
          try {
            return finish(undefined, JSON.parse(line.slice(prefix.length + 1)));
          } catch (error) {
            return finish(error);
          }
        }
      }
    };
    const onErr = (chunk) => {
      stderr += chunk;
      if (stderr.length > 20000) stderr = stderr.slice(-20000);
    };
    const onExit = (code, signal) => finish(new Error(`${label}: exited (${code ?? signal}) before ${prefix}\n${stderr}`));
    function finish(error, value) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stderr.off('data', onErr);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value);
    }
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.stderr.on('data', onErr);
    child.once('exit', onExit);
  });
}

/** Throws when a port is already taken, naming it, before anything is started. */
export async function assertPortFree(port) {
  await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error) =>
      reject(new Error(`port ${port} is in use (${error.code}); set BENCH_PORT_BASE to another base outside 32768–60999`)),
    );
    server.listen(port, HOST, () => server.close(resolve));
  });
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Busy CPU time of the whole machine, in clock ticks (Linux /proc/stat); undefined elsewhere. */
export function machineBusyTicks() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: everything but idle and iowait is busy.
    return fields.reduce((sum, v, i) => (i === 3 || i === 4 || i > 7 ? sum : sum + v), 0);
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) of one process, in clock ticks; undefined if it is gone or not on Linux. */
export function processTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 0, utime field 11, stime field 12.
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

let ticksPerSecond;
export function clockTicks() {
  if (ticksPerSecond === undefined) {
    const probe = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5000 });
    ticksPerSecond = Number(probe.stdout) > 0 ? Number(probe.stdout) : 100;
  }
  return ticksPerSecond;
}
