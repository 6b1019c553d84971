import type { Logger } from './log.ts';
import type { NotificationHub } from './notifications/hub.ts';
import type { ProjectLocation } from './project/locate.ts';
import type { StandardsIndex } from './standards/standards-index.ts';
import type { TransportMode } from './state/schema.ts';
import type { HttpConnections } from './transports/connections.ts';

/** The transports a request can arrive on. */
export type TransportName = 'stdio' | 'http';

/** Per-transport counters of JSON-RPC requests served. */
export type RequestCounters = Record<TransportName, number>;

/** Something that reports a section of `get_server_info` (the standards index, for one). */
export type InfoProvider = () => Record<string, unknown>;

/**
 * Shared services of one server process. Lives outside every SDK server instance (DESIGN.md:
 * shared state lives in ctx, never in an McpServer), so stdio and HTTP see the same state.
 */
export interface AppContext {
  readonly version: string;
  readonly instanceId: string;
  readonly pid: number;
  readonly startedAt: Date;
  readonly transport: TransportMode;
  readonly project: ProjectLocation;
  readonly log: Logger;
  readonly counters: RequestCounters;
  /** The MCP URL once HTTP is bound; null in stdio mode. */
  url: string | null;
  /** Names of the tools this server serves, set once the registry is built. */
  tools: readonly string[];
  /** Extra `capabilities` sections, by name. */
  readonly infoProviders: Map<string, InfoProvider>;
  /** Change notifications for clients; every transport subscribes (src/notifications/hub.ts). */
  readonly notifications: NotificationHub;
  /** The project's standards index (search_standards, standards resources); absent where none is built. */
  standards?: StandardsIndex;
  /** HTTP clients (bridges, 2025-era sessions) the server can send a request to on their stream; absent without HTTP. */
  clients?: HttpConnections;
  now(): Date;
}
