// Prints Jest's totals as the plain closing line "tests: N passed, N failed[, N skipped]" from its JSON report.
const { readFileSync } = require('node:fs');
const file = process.argv[2] ?? '.jest-results.json';
const r = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
