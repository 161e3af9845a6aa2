import { describe, expect, it } from '@jest/globals';
import { batchRequest, parseBatchResponse } from '../../src/server/google/batch.js';

describe("Google's batch format", () => {
  it('asks each call as an application/http part named by its index', () => {
    const { contentType, body } = batchRequest([
      { method: 'GET', path: '/gmail/v1/users/me/messages/a1?format=full' },
      { method: 'GET', path: '/gmail/v1/users/me/messages/b2?format=full' },
    ]);
    const boundary = /^multipart\/mixed; boundary=(batch_tradepane_[0-9a-f]{24})$/.exec(contentType)?.[1];
    expect(boundary).toBeDefined();
    expect(body).toBe(
      `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <0>\r\n\r\nGET /gmail/v1/users/me/messages/a1?format=full HTTP/1.1\r\n\r\n` +
        `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <1>\r\n\r\nGET /gmail/v1/users/me/messages/b2?format=full HTTP/1.1\r\n\r\n` +
        `--${boundary}--\r\n`,
    );
  });

  it("reads Google's answer: parts in any order paired by Content-ID, each part's status, headers and body", () => {
    // The shape of Google's documented example (developers.google.com/workspace/gmail/api/guides/batch).
    const b = 'batch_7Xp52oGIwpA_AAEAc7ERnGU';
    const text =
      `--${b}\r\nContent-Type: application/http\r\nContent-ID: <response-1>\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{"error":{"code":404}}\r\n` +
      `--${b}\r\nContent-Type: application/http\r\nContent-ID: <response-0>\r\n\r\nHTTP/1.1 200 OK\r\nETag: "x"\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: 44\r\n\r\n{\n "id": "a1",\n "snippet": "--not a delimiter"\n}\r\n` +
      `--${b}\r\nContent-Type: application/http\r\nContent-ID: <response-2>\r\n\r\nHTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\n\r\n{}\r\n` +
      `--${b}--\r\n`;
    const answers = parseBatchResponse(`multipart/mixed; boundary=${b}`, text);
    expect([...answers.keys()].sort()).toEqual(['0', '1', '2']);
    expect(answers.get('0')).toEqual({ status: 200, headers: { etag: '"x"', 'content-type': 'application/json; charset=UTF-8', 'content-length': '44' }, body: '{\n "id": "a1",\n "snippet": "--not a delimiter"\n}' });
    expect(JSON.parse(answers.get('0')!.body)).toEqual({ id: 'a1', snippet: '--not a delimiter' });
    expect(answers.get('1')!.status).toBe(404);
    expect([answers.get('2')!.status, answers.get('2')!.headers['retry-after']]).toEqual([429, '7']);
  });

  it('takes bare line feeds and a quoted boundary; refuses an answer that is not multipart', () => {
    const text = '--"b"\n--q\nContent-ID: <response-0>\n\nHTTP/1.1 200 OK\n\n{"id":"x"}\n--q--\n';
    expect(parseBatchResponse('multipart/mixed; boundary="q"', text).get('0')).toEqual({ status: 200, headers: {}, body: '{"id":"x"}' });
    expect(() => parseBatchResponse('application/json', '{}')).toThrow('the batch answer is not multipart/mixed (Content-Type "application/json")');
    // A part with no status line is no answer: the caller finds the call unanswered.
    expect(parseBatchResponse('multipart/mixed; boundary=q', '--q\r\nContent-ID: <response-0>\r\n\r\ngarbage\r\n--q--').size).toBe(0);
  });
});
