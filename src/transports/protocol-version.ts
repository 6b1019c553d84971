// The answer to an `MCP-Protocol-Version` header this server does not speak (issue 10). The SDK gave
// several: 200 for an `initialize`, a -32000 listing only the 2025-era versions for other 2025-era
// requests, a -32022 for 2026-era ones, and a body error first when the body was not JSON. The spec
// asks for 400 Bad Request in both eras; this is one answer for every method and body: 400 with
// -32022 (the 2026-07-28 code for an unsupported version) and the versions that are supported.
import { LEGACY_PROTOCOL_VERSIONS, MODERN_PROTOCOL_VERSIONS } from '../protocol/light.ts';

/** Every protocol version this server speaks, newest first. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = [...MODERN_PROTOCOL_VERSIONS, ...LEGACY_PROTOCOL_VERSIONS];
const SUPPORTED = new Set(SUPPORTED_PROTOCOL_VERSIONS);

/** The JSON-RPC id of a single request in `body`, or null (JSON-RPC 2.0 section 5: null when it cannot be told). */
function requestIdOf(body: string | undefined): string | number | null {
  if (body === undefined) return null;
  try {
    const message = JSON.parse(body) as unknown;
    const id = typeof message === 'object' && message !== null && !Array.isArray(message) ? (message as { id?: unknown }).id : undefined;
    return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
  } catch {
    return null;
  }
}

/** Whether the header names a version this server does not speak (an absent header is not unsupported). */
export function isUnsupportedVersion(header: string | undefined): header is string {
  return header !== undefined && !SUPPORTED.has(header.trim());
}

/** The body of the 400 answer to an unsupported `header`, echoing the request id when the body has one. */
export function unsupportedVersionError(header: string, body?: string) {
  const requested = header.trim();
  return {
    jsonrpc: '2.0',
    id: requestIdOf(body),
    error: {
      code: -32022,
      message: `Bad Request: Unsupported protocol version: ${requested} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
      data: { supported: [...SUPPORTED_PROTOCOL_VERSIONS], requested },
    },
  };
}
