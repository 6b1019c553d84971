// The HTTP headers an MCP client derives from a message, so that a message forwarded from stdio to
// HTTP (a bridge, src/transports/bridge.ts) carries exactly what a Streamable HTTP client would send
// (issue 10: a bridge is transparent in both protocol eras). Pure: no SDK at run time.

import { isPlainObject } from '../protocol/light.ts';

/** The `_meta` key of the 2026-07-28 per-request envelope that names the protocol revision. */
export const PROTOCOL_VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion';

/** The body field `Mcp-Name` mirrors, per method (SEP-2243; the SDK's `MCP_NAME_HEADER_SOURCE`). */
const NAME_SOURCE: Record<string, string> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};


/** The protocol revision a message claims in its `_meta` envelope (2026-07-28 era), if any. */
export function envelopeVersionOf(message: unknown): string | undefined {
  if (!isPlainObject(message) || !isPlainObject(message.params) || !isPlainObject(message.params._meta)) return undefined;
  const version = message.params._meta[PROTOCOL_VERSION_META_KEY];
  return typeof version === 'string' ? version : undefined;
}

/**
 * An HTTP field value as the spec's value encoding writes it: plain when it is safe printable ASCII
 * without surrounding spaces, else `=?base64?<UTF-8 base64>?=` (the SDK's `encodeMcpParamValue`).
 */
export function encodeHeaderValue(value: string): string {
  const sentinel = value.startsWith('=?base64?') && value.endsWith('?=');
  const plain = value.length > 0 && !sentinel && value === value.trim() && /^[\t\x20-\x7e]*$/.test(value);
  return plain ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/**
 * The protocol headers for one forwarded message: `MCP-Protocol-Version` from the message's own
 * envelope claim, else the session's version (the one `initialize` negotiated, or the revision of
 * the session's envelope); for an enveloped request also `Mcp-Method` and `Mcp-Name`, as the SDK's
 * Streamable HTTP client derives them. A message with neither gets no header (a 2025-era handshake).
 */
export function protocolHeadersOf(message: unknown, sessionVersion?: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const claim = envelopeVersionOf(message);
  const version = claim ?? sessionVersion;
  if (version) headers['mcp-protocol-version'] = version;
  if (claim === undefined || !isPlainObject(message) || typeof message.method !== 'string' || !('id' in message)) return headers;
  headers['mcp-method'] = message.method;
  const field = Object.hasOwn(NAME_SOURCE, message.method) ? NAME_SOURCE[message.method] : undefined;
  const value = field && isPlainObject(message.params) ? message.params[field] : undefined;
  if (typeof value === 'string') headers['mcp-name'] = encodeHeaderValue(value);
  return headers;
}
