// 2025-era HTTP session ids (issue 14): issued fresh, ended once, remembered within a bound.
import { describe, expect, test } from 'bun:test';
import { MAX_ENDED_SESSIONS, createHttpSessions, isValidSessionId } from '../../../src/transports/sessions.ts';

describe('createHttpSessions', () => {
  test('issues a new visible-ASCII id each time', () => {
    const sessions = createHttpSessions();
    const ids = new Set(Array.from({ length: 50 }, () => sessions.issue()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(isValidSessionId(id)).toBe(true);
  });

  test('an ended session is told once and then known as ended; others are not', () => {
    const told: string[] = [];
    const sessions = createHttpSessions((id) => told.push(id));
    sessions.end('a');
    sessions.end('a');
    expect(told).toEqual(['a']);
    expect(sessions.ended('a')).toBe(true);
    expect(sessions.ended('b')).toBe(false);
  });

  test(`remembers at most ${MAX_ENDED_SESSIONS} ended ids, forgetting the oldest`, () => {
    const sessions = createHttpSessions();
    for (let i = 0; i <= MAX_ENDED_SESSIONS; i++) sessions.end(`s${i}`);
    expect(sessions.ended('s0')).toBe(false);
    expect(sessions.ended('s1')).toBe(true);
    expect(sessions.ended(`s${MAX_ENDED_SESSIONS}`)).toBe(true);
  });
});

test.each([
  ['0b5f3c1e-8d0a-4c7b-9a53-2f8e1d6c4b7a', true],
  ['!~', true],
  ['', false],
  ['has space', false],
  ['tab\there', false],
  ['é', false],
  ['x'.repeat(128), true],
  ['x'.repeat(129), false],
])('isValidSessionId(%j) is %p', (id, valid) => expect(isValidSessionId(id)).toBe(valid));
