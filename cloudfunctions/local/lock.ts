// One local stack per data folder. Two `npm start` on the same folder would
// run every job twice, two sandboxes over one state file and two sets of
// timers against one database; the second is refused instead. The lock is a
// file created exclusively (O_EXCL) holding the owner's pid; it is stale, and
// taken over, when that process no longer runs (a stack killed with SIGKILL).
import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'pms.lock';

export class DataDirLocked extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly lockFile: string,
  ) {
    super(
      `Another local stack (pid ${pid}) is already using the data folder ${dataDir}. ` +
        'Stop it first (Ctrl-C in its terminal), or give this one its own folder with PMS_DATA_DIR. ' +
        `If no process ${pid} is running the stack, delete ${lockFile}.`,
    );
    this.name = 'DataDirLocked';
  }
}

export interface DataDirLock {
  readonly file: string;
  /** Removes the lock if it is still this process's; safe to call more than once. */
  release(): void;
}

/** Whether a process with this pid is running (a zombie, dead but not yet reaped, is not). */
export function isRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // Linux: "<pid> (<comm>) <state> ..."; Z is a zombie.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** The pid a lock file holds; null when unreadable or not a pid (being written, or garbage). */
function holderOf(file: string): number | null {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    return /^\d+$/.test(text) ? Number(text) : null;
  } catch {
    return null;
  }
}

/** A lock file a starting process has just created and not yet written is given this long. */
const WRITE_GRACE_MS = 2_000;

/**
 * Takes the data folder's lock for `pid` (this process by default), or throws
 * DataDirLocked naming the folder and the running owner.
 */
export function lockDataDir(dataDir: string, pid: number = process.pid): DataDirLock {
  const file = path.join(dataDir, LOCK_FILE);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      fs.writeFileSync(file, `${pid}\n`, { flag: 'wx', mode: 0o600 });
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          if (holderOf(file) === pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = holderOf(file);
    if (holder !== null && holder !== pid && isRunning(holder)) throw new DataDirLocked(dataDir, holder, file);
    if (holder === null && recentlyWritten(file)) {
      sleep(50);
      continue;
    }
    takeOverStale(file, holder);
  }
  throw new Error(`could not take the lock ${file}: it keeps changing`);
}

function recentlyWritten(file: string): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs < WRITE_GRACE_MS;
  } catch {
    return false;
  }
}

/**
 * Removes a stale lock without removing a fresh one another starting process
 * may have put in its place meanwhile: the file is first moved aside, then
 * checked, and put back if it turns out to be someone's live lock.
 */
function takeOverStale(file: string, stale: number | null): void {
  const aside = `${file}.stale-${process.pid}-${Date.now()}`;
  try {
    fs.renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = holderOf(aside);
  if (moved !== stale && moved !== null && isRunning(moved)) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // Another lock is there already; the next attempt reads it.
    }
  }
  fs.rmSync(aside, { force: true });
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
