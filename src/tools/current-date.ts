import { z } from 'zod';
import { defineTool, jsonResult } from '../registry/tool.ts';

// Resolving the time zone builds an Intl.DateTimeFormat, a few percent of a whole HTTP call
// (issue 6); the process's zone does not change while it runs, so resolve it once, when first needed.
let zone: string | undefined;
const timeZone = () => (zone ??= Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC');

/** `current_date`: the date and time now, with the server's time zone, for agents that need it. */
export const currentDateTool = defineTool({
  name: 'current_date',
  title: 'Current date',
  description:
    'Returns the current date and time: ISO 8601 (UTC), the local date and time, the IANA time zone and its UTC offset. ' +
    'Use it instead of guessing today\'s date.',
  inputSchema: z.object({}),
  outputSchema: z.object({
    iso: z.string(),
    date: z.string(),
    time: z.string(),
    timezone: z.string(),
    utc_offset: z.string(),
    unix_ms: z.number(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler(_args, ctx) {
    const now = ctx.now();
    const offsetMin = -now.getTimezoneOffset();
    const sign = offsetMin >= 0 ? '+' : '-';
    const abs = Math.abs(offsetMin);
    const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    const pad = (n: number) => String(n).padStart(2, '0');
    const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
    const time = `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
    const data = {
      iso: now.toISOString(),
      date,
      time,
      timezone: timeZone(),
      utc_offset: offset,
      unix_ms: now.getTime(),
    };
    return jsonResult(data, `${date} ${time} ${data.timezone} (UTC${offset}); ISO ${data.iso}`);
  },
});
