import { describe, expect, test } from 'bun:test';
import { ProtocolError } from '@modelcontextprotocol/server';
import { cursorProblem, paramsProblem } from '../../../src/registry/params-guard.ts';

const zodIssues = (path: unknown[], message = 'Invalid input: expected string, received undefined') =>
  JSON.stringify([{ expected: 'string', code: 'invalid_type', path, message }], null, 2);

describe('cursorProblem', () => {
  test.each<[string, unknown, boolean]>([
    ['tools/list', { cursor: 'x' }, true],
    ['resources/list', { cursor: '' }, true],
    ['resources/templates/list', { cursor: 'x', _meta: {} }, true],
    ['prompts/list', { cursor: 'x' }, true],
    ['tools/list', {}, false],
    ['tools/list', undefined, false],
    ['tools/call', { cursor: 'x' }, false],
  ])('%s with %j: refused %p', (method, params, refused) => {
    expect(cursorProblem(method, params) !== undefined).toBe(refused);
  });
});

describe('paramsProblem', () => {
  test.each<[string, unknown, string | undefined]>([
    ['a plain Error with zod issues under params', new Error(zodIssues(['params', 'uri'])), 'Invalid params for resources/read: uri: Invalid input: expected string, received undefined'],
    ['an issue at the root', new Error(zodIssues([], 'Required')), 'Invalid params for resources/read: Required'],
    ['-32602 with the raw list behind a prefix', new ProtocolError(-32602, `Invalid resources/read request: ${zodIssues(['params', 'uri'])}`), 'Invalid params for resources/read: uri: Invalid input: expected string, received undefined'],
    ['a plain Error with another message', new Error('boom'), undefined],
    ['a plain Error whose message is JSON but not issues', new Error('[1,2]'), undefined],
    ['an error with another code', new ProtocolError(-32002, zodIssues(['params', 'uri'])), undefined],
    ['a subclass of Error', new TypeError(zodIssues(['params', 'uri'])), undefined],
    ['not an Error', zodIssues(['params', 'uri']), undefined],
  ])('%s', (_name, error, expected) => {
    expect(paramsProblem('resources/read', error)).toBe(expected);
  });
});
