import { expect, test } from 'bun:test';
import { eventLine, leaseLeft, watchFrame } from '../../src/workflows/live/render-watch.ts';

const now = Date.parse('2026-12-02T10:00:00Z');

test.each([
  ['2026-12-02T10:14:05Z', '14m 05s'],
  ['2026-12-02T10:00:01Z', '0m 01s'],
  ['2026-12-02T12:03:00Z', '2h 03m'],
  ['2026-12-02T10:00:00Z', 'expired'],
  ['2026-12-02T09:59:00Z', 'expired'],
  [null, ''],
])('lease until %p is shown as %p', (until, shown) => {
  expect(leaseLeft(until, now)).toBe(shown);
});

test('an event line names the time, action, place, outcome and actor', () => {
  const e = { at: '2026-12-02T10:00:03.120Z', action: 'complete_phase', phase: 1, ok: false, result: { error_type: 'gate_failed' }, actor: { agent: 'a', transport: 'http' } };
  expect(eventLine(e)).toBe('10:00:03 complete_phase phase 1 FAILED gate_failed · a (http)');
});

test('a frame is cut to the width, and says when there is nothing to show', () => {
  expect(watchFrame('t', [], now, 40)).toContain('No open workflow sessions');
  const snap = {
    session: { workflow_type: 'demo', target_file: 'x', status: 'active', current_phase: 1, phase_count: 2, session_id: 's'.repeat(36) },
    phases: [{ phase: 1, name: 'Build', status: 'active', tasks: { done: 1, skipped: 0, claimed: 1, ready: 0, blocked: 0 } }],
    claims: [{ task_id: '1.2', claimed_by: 'alice', lease_until: '2026-12-02T10:05:00Z' }],
    pending_approvals: [{ phase: 1, requested_by: 'alice', since: '2026-12-02T09:59:00Z' }],
    recent_events: [],
  };
  const frame = watchFrame('t', [snap], now, 60);
  expect(frame.split('\n').every((l) => l.length <= 60)).toBe(true);
  expect(frame).toContain('1.2      alice');
  expect(frame).toContain('5m 00s left');
  expect(frame).toContain("Waiting for a person: phase 1's gate passed");
});
