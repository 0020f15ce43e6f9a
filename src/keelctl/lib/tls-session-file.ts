import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import type { TlsSessionCache } from "../../machinery/client";
import { keelsonHome } from "../../machinery/platform/keelson-home";

/**
 * How long a ticket is offered. The agent issues tickets valid for five
 * minutes (its TLS session timeout); an older one would only be refused.
 */
const maxAgeMs = 5 * 60 * 1000;

interface Entry {
  /** The serialised TLS session, base64. */
  session: string;
  savedAt: number;
}

/** `$KEELSON_HOME/cache/tls-sessions.json`. */
export function defaultTlsSessionPath(): string {
  return join(keelsonHome(), "cache", "tls-sessions.json");
}

/**
 * The TLS session tickets of earlier keelctl runs, so a run shortly after
 * another resumes its connections instead of doing 50 full handshakes.
 * A ticket is a credential (it resumes a session as the client certificate
 * that made it, for five minutes), so the file is kept like the client
 * config: 0600 in a 0700 directory, and a file anyone else could have
 * written or read is ignored. The cache is best effort: nothing about it can
 * fail a command; without it every connection does a full handshake.
 */
export class TlsSessionFile implements TlsSessionCache {
  private dirty = false;

  private constructor(
    private readonly path: string,
    private readonly entries: Map<string, Entry>,
    private readonly now: () => number,
  ) {}

  static load(path = defaultTlsSessionPath(), now: () => number = Date.now): TlsSessionFile {
    const entries = new Map<string, Entry>();
    const text = readPrivateFile(path);
    if (text !== undefined) {
      for (const [key, entry] of Object.entries(parseEntries(text))) entries.set(key, entry);
    }
    return new TlsSessionFile(path, entries, now);
  }

  get(key: string): Buffer | undefined {
    const entry = this.entries.get(key);
    return entry && this.isFresh(entry) ? Buffer.from(entry.session, "base64") : undefined;
  }

  set(key: string, session: Buffer): void {
    this.entries.set(key, { session: session.toString("base64"), savedAt: this.now() });
    this.dirty = true;
  }

  /** Writes the fresh tickets back (atomically, 0600) if this run got new ones. */
  save(): void {
    if (!this.dirty) return;
    const fresh = Object.fromEntries([...this.entries].filter(([, e]) => this.isFresh(e)));
    const temporary = `${this.path}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      writeFileSync(temporary, JSON.stringify(fresh), { mode: 0o600, flag: "wx" });
      renameSync(temporary, this.path);
      this.dirty = false;
    } catch {
      // Best effort: the next run does full handshakes.
    }
  }

  private isFresh(entry: Entry): boolean {
    const age = this.now() - entry.savedAt;
    return age >= 0 && age < maxAgeMs;
  }
}

/** The file's text if it is a regular file of ours that nobody else can read or write. */
function readPrivateFile(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    const stat = fstatSync(fd);
    const ours = process.getuid === undefined || stat.uid === process.getuid();
    if (!stat.isFile() || !ours || (stat.mode & 0o077) !== 0) return undefined;
    return readFileSync(fd, "utf8");
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function parseEntries(text: string): Record<string, Entry> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return {};
    return Object.fromEntries(Object.entries(value).filter(([, e]) => isEntry(e)));
  } catch {
    return {};
  }
}

function isEntry(value: unknown): value is Entry {
  const e = value as Partial<Entry> | null;
  return typeof e?.session === "string" && typeof e.savedAt === "number";
}

const opened = new Map<string, TlsSessionFile>();

function saveAll(): void {
  for (const cache of opened.values()) cache.save();
}

/**
 * The cache of this process for `$KEELSON_HOME`, loaded once and saved when
 * the process exits, whatever command ran and however it ended.
 */
export function processTlsSessions(): TlsSessionFile {
  const path = defaultTlsSessionPath();
  let cache = opened.get(path);
  if (!cache) {
    if (opened.size === 0) process.once("exit", saveAll);
    cache = TlsSessionFile.load(path);
    opened.set(path, cache);
  }
  return cache;
}
