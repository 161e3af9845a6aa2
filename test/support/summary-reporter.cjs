// Prints one plain closing line ("tests: N passed, N failed") that any CI can read, and says
// loudly when the PostgreSQL half of the suite, or the Dovecot mailbox-sync tests, did not run.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const pg = process.env.TP_POSTGRES || '';
    if (pg.startsWith('unavailable')) {
      process.stdout.write(`\n*** PostgreSQL tests NOT RUN — ${pg}\n`);
    }
    const imap = process.env.TP_IMAP || '';
    if (imap.startsWith('unavailable')) {
      process.stdout.write(`\n*** IMAP (Dovecot) mailbox-sync tests NOT RUN — ${imap}\n`);
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${results.numFailedTests + results.numRuntimeErrorTestSuites} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
module.exports = SummaryReporter;
