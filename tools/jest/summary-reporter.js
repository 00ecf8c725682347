// Adds each Jest run's counts to .cache/test-summary.json so one closing line can report the
// whole test command (unit projects and the end-to-end suite run as separate Jest processes).
const fs = require('node:fs');
const path = require('node:path');

const SUMMARY_FILE = path.resolve(__dirname, '../../.cache/test-summary.json');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    let summary = { passed: 0, failed: 0, skipped: 0 };
    try {
      summary = JSON.parse(fs.readFileSync(SUMMARY_FILE, 'utf8'));
    } catch {
      // first run of this command
    }
    summary.passed += results.numPassedTests;
    summary.failed += results.numFailedTests + results.numRuntimeErrorTestSuites;
    summary.skipped += results.numPendingTests + results.numTodoTests;
    fs.mkdirSync(path.dirname(SUMMARY_FILE), { recursive: true });
    fs.writeFileSync(SUMMARY_FILE, JSON.stringify(summary));
  }
}

SummaryReporter.SUMMARY_FILE = SUMMARY_FILE;
module.exports = SummaryReporter;
