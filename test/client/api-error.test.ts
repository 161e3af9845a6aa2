import { describe, expect, it } from '@jest/globals';
import { ApiError, refusalKind } from '../../src/client/api-error.js';

/** The one error class the store client and the console throw, read from the contract's ErrorResponse. */
describe('ApiError', () => {
  it("keeps the store's code, message and details (a missing value's label included)", () => {
    const error = ApiError.of(422, { error: { code: 'missing_values', message: 'cannot insert yet', details: [{ path: 'fields.port', message: 'required', label: 'Port' }] } });
    expect(error).toBeInstanceOf(Error);
    expect([error.status, error.code, error.message]).toEqual([422, 'missing_values', 'cannot insert yet']);
    expect(error.details).toEqual([{ path: 'fields.port', message: 'required', label: 'Port' }]);
  });

  it('still says what happened when the answer is not the contract\'s shape (a proxy\'s HTML page, nothing)', () => {
    expect(ApiError.of(502, '<html>Bad Gateway</html>', 'Bad Gateway')).toMatchObject({ status: 502, code: 'http_error', message: 'the store answered 502 Bad Gateway', details: [] });
    expect(ApiError.of(500, null)).toMatchObject({ code: 'http_error', message: 'the store answered 500' });
  });

  it('names the kind of refusal the faces put in words: nothing answered, signed out, not allowed, a clash, bad input …', () => {
    const kinds = [401, 403, 404, 409, 413, 429, 400, 422, 500, 502, 503, 504, 418].map((status) => refusalKind(ApiError.of(status, null)));
    expect(kinds).toEqual(['signed-out', 'forbidden', 'not-found', 'conflict', 'too-large', 'too-many', 'invalid', 'invalid', 'store-failed', 'unreachable', 'unreachable', 'unreachable', 'other']);
    expect(refusalKind(new TypeError('Failed to fetch'))).toBe('unreachable');
    expect(refusalKind(new Error('a bug'))).toBe('other');
  });
});
