import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  from: string;
  raw: string;
}

/**
 * An SMTP server on a free loopback port that keeps what it receives (any login accepted), for
 * tests whose adapters send over SMTP. `refuse.next = n` answers the next n mails with 451 (try
 * again later), to exercise retries.
 */
export function smtpReceiver(): { server: SMTPServer; received: ReceivedMail[]; refuse: { next: number }; listen: () => Promise<void>; close: () => Promise<void>; port: () => number } {
  const received: ReceivedMail[] = [];
  const refuse = { next: 0 };
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (auth, _s, cb) => cb(null, { user: auth.username }),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refuse.next > 0) {
          refuse.next--;
          const error = new Error('try again later') as Error & { responseCode: number };
          error.responseCode = 451;
          callback(error);
          return;
        }
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  return {
    server,
    received,
    refuse,
    listen: () => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    port: () => (server.server.address() as AddressInfo).port,
  };
}
