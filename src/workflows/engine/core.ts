import { createHash } from 'node:crypto';
import type { SQLInputValue, StatementSync } from 'node:sqlite';
import type { CheckContext, DefinitionSet, GateDef, GateResult, PhaseDef, WorkflowDefinition } from '../types.ts';
import type { EngineDb } from './db.ts';

/** Where definitions come from, and the gate's own checks (the definitions side of issue 13). */
export interface DefinitionProvider {
  /** The current definitions of the project (re-read when files change). */
  definitions(): DefinitionSet;
  /** A session's phases: the definition's, plus for a dynamic workflow those of the spec's tasks.md. May throw a WorkflowError. */
  phasesFor(definition: WorkflowDefinition, options: Record<string, unknown>): PhaseDef[];
  /** Validates evidence and runs the gate's checks (confined to the project). */
  evaluateGate(gate: GateDef, evidence: unknown, context: CheckContext): Promise<GateResult>;
}

/** The engine's settings. */
export interface EngineOptions {
  /** The project root: every path is resolved against it, never the working directory. */
  root: string;
  /** Default claim lease in seconds (15 minutes). */
  leaseSeconds?: number;
  /** Sessions untouched this many days are archived when a session starts (30). */
  retentionDays?: number;
  /** Largest stored evidence or result snapshot, in bytes of JSON (64 KiB). */
  snapshotBytes?: number;
  now?: () => number;
}

/** Shared state of one engine: the database, cached statements, settings. */
export class Core {
  readonly root: string;
  readonly leaseMs: number;
  readonly retentionMs: number;
  readonly snapshotBytes: number;
  readonly now: () => number;
  private readonly statements = new Map<string, StatementSync>();

  constructor(readonly edb: EngineDb, readonly defs: DefinitionProvider, options: EngineOptions) {
    this.root = options.root;
    this.leaseMs = (options.leaseSeconds ?? 900) * 1000;
    this.retentionMs = (options.retentionDays ?? 30) * 86_400_000;
    this.snapshotBytes = options.snapshotBytes ?? 64 * 1024;
    this.now = options.now ?? Date.now;
  }

  /** A prepared statement, prepared once. */
  stmt(sql: string): StatementSync {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.edb.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  get<T>(sql: string, ...params: SQLInputValue[]): T | undefined {
    return this.stmt(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    return this.stmt(sql).all(...params) as T[];
  }

  run(sql: string, ...params: SQLInputValue[]): number {
    return Number(this.stmt(sql).run(...params).changes);
  }

  tx<T>(fn: () => T): T {
    return this.edb.tx(fn);
  }
}

/** JSON with sorted keys: the same evidence always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A JSON snapshot of at most `max` bytes; a larger value is kept as its head, its size and its hash. */
export function snapshot(value: unknown, max: number): string | null {
  if (value === undefined) return null;
  const json = canonicalJson(value);
  if (Buffer.byteLength(json) <= max) return json;
  return JSON.stringify({ truncated: true, bytes: Buffer.byteLength(json), sha256: sha256(json), head: json.slice(0, Math.max(0, max - 200)) });
}
