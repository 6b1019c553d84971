// Pure request checks that run before any MCP handler (DESIGN.md, security model). The HTTP
// adapter maps a `false` to 403/401; these functions only decide.

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether an address or name is loopback: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackAddress(host: string): boolean {
  const h = host.trim().toLowerCase();
  if (LOOPBACK_NAMES.has(h)) return true;
  return /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(h);
}

/** Splits a `Host` header value into hostname and port; undefined when malformed. */
function hostnameOfHostHeader(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  if (v.startsWith('[')) {
    const end = v.indexOf(']');
    if (end < 0) return undefined;
    const rest = v.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
    return v.slice(0, end + 1);
  }
  const match = /^([^:]+)(:\d{1,5})?$/.exec(v);
  return match?.[1];
}

/** Whether a `Host` header names a loopback host (any port). A missing header is refused. */
export function isLoopbackHostHeader(value: string | null | undefined): boolean {
  if (!value) return false;
  const hostname = hostnameOfHostHeader(value);
  return hostname !== undefined && isLoopbackAddress(hostname);
}

/** Whether an `Origin` header is acceptable: absent, or an http(s) origin on a loopback host. */
export function isAllowedOrigin(value: string | null | undefined): boolean {
  if (value === null || value === undefined) return true;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackAddress(url.hostname);
}

/** Compares a bearer `Authorization` header with the expected token in constant time. */
export function bearerMatches(header: string | null | undefined, token: string): boolean {
  if (!header) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return false;
  const given = match[1]!;
  if (given.length !== token.length) return false;
  let diff = 0;
  for (let i = 0; i < token.length; i++) diff |= given.charCodeAt(i) ^ token.charCodeAt(i);
  return diff === 0;
}
