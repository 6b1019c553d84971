// The screen of `praxis-mcp workflow watch` (issue 14), as pure functions of snapshots: one frame
// for a terminal, one line per event when stdout is not one.

type Answer = Record<string, any>;

/** `14m 05s`, `2h 03m`, `expired`. */
export function leaseLeft(untilIso: string | null | undefined, now: number): string {
  if (!untilIso) return '';
  const s = Math.floor((Date.parse(untilIso) - now) / 1000);
  if (s <= 0) return 'expired';
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

const time = (iso: string) => iso.slice(11, 19);

/** One event as a line: time, action, phase/task, outcome, who. */
export function eventLine(e: Answer): string {
  const where = [e.phase !== undefined ? `phase ${e.phase}` : '', e.task_id ? `task ${e.task_id}` : ''].filter(Boolean).join(' ');
  const outcome = e.ok ? 'ok' : `FAILED ${e.result?.error_type ?? ''}`.trim();
  return `${time(e.at)} ${e.action}${where ? ` ${where}` : ''} ${outcome} · ${e.actor.agent} (${e.actor.transport})`;
}

/** The frame for one session snapshot (see snapshot.ts). */
export function sessionFrame(snap: Answer, now: number): string[] {
  const s = snap.session;
  const lines = [`${s.workflow_type} on ${s.target_file} · ${s.status} · phase ${Math.min(s.current_phase, s.phase_count)}/${s.phase_count} · ${s.session_id}`];
  for (const p of snap.phases) {
    const t = p.tasks;
    lines.push(`  ${p.status === 'active' ? '>' : ' '} phase ${String(p.phase).padEnd(3)} ${String(p.name).slice(0, 24).padEnd(24)} ${String(p.status).padEnd(9)} ${t.done + t.skipped} done · ${t.claimed} claimed · ${t.ready} ready · ${t.blocked} blocked${p.gate ? ` · gate ${p.gate}` : ''}`);
  }
  lines.push(snap.claims.length ? '  Tasks held:' : '  Tasks held: none');
  for (const c of snap.claims) lines.push(`    ${String(c.task_id).padEnd(8)} ${String(c.claimed_by).padEnd(28)} ${leaseLeft(c.lease_until, now)} left`.replace('expired left', 'lease expired'));
  for (const a of snap.pending_approvals ?? []) {
    lines.push(`  Waiting for a person: phase ${a.phase}'s gate passed (asked by ${a.requested_by} at ${time(a.since)}); approve or reject with:`);
    lines.push(`    praxis-mcp workflow approve ${s.session_id} ${a.phase} [--note ...]`);
  }
  const f = snap.last_failed_gate;
  if (f) {
    lines.push(`  Last refused complete_phase (event ${f.seq}, phase ${f.phase}): ${f.error}`);
    for (const c of f.failed_checks) lines.push(`    ${c.kind}: expected ${c.expected}, got ${c.actual}`);
    for (const e of f.evidence_errors) lines.push(`    evidence ${e.path || '/'}: ${e.message}`);
  }
  lines.push('  Last events:');
  for (const e of snap.recent_events) lines.push(`    ${eventLine(e)}`);
  return lines;
}

/** A whole terminal frame: a title, then each session, cut to `width` columns. */
export function watchFrame(title: string, snaps: Answer[], now: number, width = 120): string {
  const lines = [`${title} · ${new Date(now).toISOString().slice(11, 19)} UTC · Ctrl-C to quit`, ''];
  if (snaps.length === 0) lines.push('No open workflow sessions (praxis-mcp workflow start TYPE TARGET begins one).');
  for (const snap of snaps) lines.push(...sessionFrame(snap, now), '');
  return lines.map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l)).join('\n');
}
