// `GET /events` (issue 14): every workflow event as it is committed, by this process or any other,
// as Server-Sent Events for scripts and dashboards. `?session=ID` keeps one session's; `?after=SEQ`
// first replays the events after SEQ (a reconnecting script loses nothing; `Last-Event-ID` too).
import type { AppContext } from '../../context.ts';
import { type EventRow, presentEvent } from '../engine/events.ts';
import { openedFor } from '../engine/host.ts';
import { liveFor } from './host-live.ts';

const KEEP_ALIVE_MS = 15_000;
const REPLAY_MAX = 1000;
const HEADERS = { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' };

/** The response to one `GET /events`. */
export async function workflowEventStream(ctx: AppContext, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const session = url.searchParams.get('session') ?? undefined;
  const after = Number(url.searchParams.get('after') ?? request.headers.get('last-event-id') ?? NaN);
  const live = await liveFor(ctx);
  const core = openedFor(ctx)!.engine.core;
  const encoder = new TextEncoder();
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let done = false;
      const send = (text: string) => {
        if (done) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const frame = (e: Record<string, unknown>) => send(`id: ${e.seq}\nevent: workflow\ndata: ${JSON.stringify(e)}\n\n`);
      let lastSent = 0;
      const unsubscribe = live.onEvent((e) => {
        if ((!session || e.session_id === session) && (e.seq as number) > lastSent) {
          lastSent = e.seq as number;
          frame(e);
        }
      });
      send(': praxis-mcp workflow events\n\n');
      if (Number.isInteger(after) && after >= 0) {
        const rows = session
          ? core.all<EventRow>('SELECT * FROM wf_events WHERE seq > ? AND session_id = ? ORDER BY seq LIMIT ?', after, session, REPLAY_MAX)
          : core.all<EventRow>('SELECT * FROM wf_events WHERE seq > ? ORDER BY seq LIMIT ?', after, REPLAY_MAX);
        for (const row of rows) {
          lastSent = row.seq;
          frame({ session_id: row.session_id, ...presentEvent(row) });
        }
      }
      const timer = setInterval(() => send(': keep-alive\n\n'), KEEP_ALIVE_MS);
      stop = () => {
        if (done) return;
        done = true;
        clearInterval(timer);
        unsubscribe();
        try {
          controller.close();
        } catch {}
      };
      if (request.signal.aborted) stop();
      else request.signal.addEventListener('abort', () => stop(), { once: true });
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, { status: 200, headers: HEADERS });
}
