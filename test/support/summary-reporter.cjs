// Prints one plain closing line ("tests: N passed, N failed") that any CI can read, and says
// loudly when the PostgreSQL half of the suite did not run.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const pg = process.env.TP_POSTGRES || '';
    if (pg.startsWith('unavailable')) {
      process.stdout.write(`\n*** PostgreSQL tests NOT RUN — ${pg}\n`);
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${results.numFailedTests + results.numRuntimeErrorTestSuites} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
module.exports = SummaryReporter;
