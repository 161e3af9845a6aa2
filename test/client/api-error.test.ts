import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../../src/client/api-error.js';

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
});
