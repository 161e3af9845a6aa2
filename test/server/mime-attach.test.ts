import { describe, expect, it } from '@jest/globals';
import { addAttachment, MimeError } from '../../src/server/google/mime-attach.js';

/** Adding a file to a draft's RFC 822 source keeps every byte that was there (the draft-attach step of "Make PDF" in Gmail). */

const pdf = { fileName: 'PI-2026-0001.pdf', contentType: 'application/pdf', bytes: new TextEncoder().encode('%PDF-1.7 test') };
const b64 = Buffer.from('%PDF-1.7 test').toString('base64');

describe('addAttachment', () => {
  it('wraps a single-part mail in multipart/mixed, moving its Content-* headers (folded ones too) into the first part', () => {
    // An ISO-8859-1 body: bytes that are not UTF-8 must come back unchanged.
    const body = Buffer.from('Gr\xfc\xdfe aus Ningbo\r\n', 'latin1');
    const source = Buffer.concat([
      Buffer.from('From: rep@acme.test\r\nTo: "M\xfcller, Hans" <hans@buyer.de>\r\nSubject: =?UTF-8?B?5oql5Lu3?=\r\nReferences: <a@x>\r\n <b@x>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain;\r\n charset="ISO-8859-1"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n', 'latin1'),
      body,
    ]);
    const out = addAttachment(source, pdf).toString('latin1');
    const boundary = /boundary="([^"]+)"/.exec(out)![1]!;
    expect(out).toBe(
      'From: rep@acme.test\r\nTo: "M\xfcller, Hans" <hans@buyer.de>\r\nSubject: =?UTF-8?B?5oql5Lu3?=\r\nReferences: <a@x>\r\n <b@x>\r\nMIME-Version: 1.0\r\n' +
        `Content-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n` +
        `--${boundary}\r\nContent-Type: text/plain;\r\n charset="ISO-8859-1"\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGr\xfc\xdfe aus Ningbo\r\n\r\n` +
        `--${boundary}\r\nContent-Type: application/pdf; name="PI-2026-0001.pdf"\r\nContent-Disposition: attachment; filename="PI-2026-0001.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n` +
        `--${boundary}--\r\n`,
    );
  });

  it('adds a part before the closing boundary of a multipart/mixed mail, keeping its other attachments', () => {
    const source = 'To: a@b.c\r\nContent-Type: multipart/mixed; boundary=XYZ\r\n\r\npreamble\r\n--XYZ\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n--XYZ\r\nContent-Type: image/png; name="a.png"\r\n\r\nAAAA\r\n--XYZ--\r\nepilogue\r\n';
    const out = addAttachment(Buffer.from(source), pdf).toString('latin1');
    expect(out).toBe(
      'To: a@b.c\r\nContent-Type: multipart/mixed; boundary=XYZ\r\n\r\npreamble\r\n--XYZ\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n--XYZ\r\nContent-Type: image/png; name="a.png"\r\n\r\nAAAA\r\n' +
        `--XYZ\r\nContent-Type: application/pdf; name="PI-2026-0001.pdf"\r\nContent-Disposition: attachment; filename="PI-2026-0001.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n` +
        '--XYZ--\r\nepilogue\r\n',
    );
  });

  it('wraps multipart/alternative (Gmail\'s usual draft) whole, and a mail with no Content-Type as the text/plain it is', () => {
    const alt = 'To: a@b.c\r\nContent-Type: multipart/alternative; boundary="ALT"\r\n\r\n--ALT\r\nContent-Type: text/plain\r\n\r\nhi\r\n--ALT\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n--ALT--\r\n';
    const out = addAttachment(Buffer.from(alt), pdf).toString('latin1');
    const boundary = /boundary="(tradepane-[0-9a-f]+)"/.exec(out)![1]!;
    expect(out).toContain(`--${boundary}\r\nContent-Type: multipart/alternative; boundary="ALT"\r\n\r\n--ALT\r\nContent-Type: text/plain\r\n\r\nhi\r\n--ALT\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n--ALT--\r\n\r\n--${boundary}\r\n`);
    const bare = addAttachment(Buffer.from('To: a@b.c\r\nSubject: x\r\n\r\nhello'), pdf).toString('latin1');
    expect(bare).toContain('\r\n\r\n--tradepane-');
    expect(bare).toMatch(/--tradepane-[0-9a-f]+\r\nContent-Type: text\/plain; charset=us-ascii\r\n\r\nhello\r\n--tradepane-/);
  });

  it('keeps LF-only sources LF-only, and encodes a non-ASCII file name (RFC 2231)', () => {
    const out = addAttachment(Buffer.from('To: a@b.c\nContent-Type: text/html\n\n<p>x</p>\n'), { ...pdf, fileName: '报价单 Q-1.pdf' }).toString('utf8');
    expect(out).not.toContain('\r');
    expect(out).toContain("Content-Type: application/pdf; name*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95%20Q-1.pdf\nContent-Disposition: attachment; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95%20Q-1.pdf\n");
  });

  it('refuses a source it cannot read, saying what is wrong', () => {
    expect(() => addAttachment(Buffer.from('To: a@b.c'), pdf)).toThrow(new MimeError('the draft has no header/body separator'));
    expect(() => addAttachment(Buffer.from('not a header\r\n\r\nbody'), pdf)).toThrow(/header line without a name: "not a header"/);
    expect(() => addAttachment(Buffer.from('Content-Type: multipart/mixed\r\n\r\nx'), pdf)).toThrow(/without a boundary/);
    expect(() => addAttachment(Buffer.from('Content-Type: multipart/mixed; boundary=Q\r\n\r\n--Q\r\n\r\nx\r\n'), pdf)).toThrow(/no closing boundary/);
    expect(() => addAttachment(Buffer.from('To: a@b.c\r\n\r\nx'), { ...pdf, contentType: 'application/pdf\r\nBcc: evil@x' })).toThrow(/line breaks/);
  });
});
