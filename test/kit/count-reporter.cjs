// Prints the plain closing line CI reads: "N passed, N failed[, N skipped]". A suite that could not
// run at all (syntax error, failing import) counts as a failure.
class CountReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    console.log(`${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  }
}
module.exports = CountReporter;
