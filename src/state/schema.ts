import { z } from 'zod';

/** The state-file schema version this server writes (DESIGN.md, state file contract). */
export const STATE_SCHEMA_VERSION = '1.0.0';

/** The serving modes. */
export const TRANSPORTS = ['dual', 'stdio', 'http'] as const;
export type TransportMode = (typeof TRANSPORTS)[number];

/** The state file contract. Unknown fields are kept, so newer writers stay readable. */
export const serverStateSchema = z.looseObject({
  version: z.string(),
  transport: z.enum(TRANSPORTS),
  port: z.number().int().min(0).max(65535).nullable(),
  host: z.string(),
  path: z.string(),
  url: z.string().nullable(),
  pid: z.number().int().positive(),
  started_at: z.string(),
  project: z.looseObject({ name: z.string(), root: z.string() }),
  instance_id: z.string().optional(),
  auth: z.looseObject({ type: z.literal('bearer'), token: z.string() }).nullable().optional(),
  server_version: z.string().optional(),
});

/** A parsed, valid state file. */
export type ServerState = z.infer<typeof serverStateSchema>;

/** Parses state-file text; anything missing, truncated, non-JSON or wrong-shaped is `undefined`. */
export function parseState(text: string | undefined): ServerState | undefined {
  if (!text) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const result = serverStateSchema.safeParse(json);
  return result.success ? result.data : undefined;
}
