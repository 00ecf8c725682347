// Prints the closing line of the test command from what the summary reporter collected.
const fs = require('node:fs');
const { SUMMARY_FILE } = require('./summary-reporter');

const mode = process.argv[2];
if (mode === 'reset') {
  fs.rmSync(SUMMARY_FILE, { force: true });
} else {
  let summary = { passed: 0, failed: 0, skipped: 0 };
  try {
    summary = JSON.parse(fs.readFileSync(SUMMARY_FILE, 'utf8'));
  } catch {
    // no Jest run reported
  }
  process.stdout.write(`tests: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped\n`);
}
