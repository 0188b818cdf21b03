// npm run test:all: the unit tests, the type check, then the build and the browser tests, then ONE closing line
//   WEB-SUMMARY passed=N failed=N skipped=N
// summed from vitest's JSON reports (test.sh reads that line). Exits non-zero if anything failed or did not run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outputDir = join(root, "test-output");
const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
mkdirSync(outputDir, { recursive: true });

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  return result.status ?? 1;
}

function vitestRun(config, reportName) {
  const report = join(outputDir, reportName);
  rmSync(report, { force: true });
  const status = run([vitest, "run", "--config", config, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]);
  if (!existsSync(report)) {
    // The runner died before reporting (a broken config or a crash): count the run as one failure so it cannot pass.
    console.error(`test-all: ${config} produced no report (exit ${status})`);
    return { passed: 0, failed: 1, skipped: 0, status: status === 0 ? 1 : status };
  }
  const json = JSON.parse(readFileSync(report, "utf8"));
  return {
    passed: json.numPassedTests ?? 0,
    failed: json.numFailedTests ?? 0,
    skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
    status,
  };
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;
const add = (result) => {
  totals.passed += result.passed;
  totals.failed += result.failed;
  totals.skipped += result.skipped;
  if (result.status !== 0 || result.failed > 0) exitCode = 1;
};

add(vitestRun("vitest.config.ts", "unit-report.json"));

// The strict type check is part of "npm run build"; here it runs on its own so a type error is counted, not hidden.
const typecheckStatus = run([join(root, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", "tsconfig.json"]);
if (typecheckStatus !== 0) {
  console.error(`test-all: the type check failed (exit ${typecheckStatus})`);
  add({ passed: 0, failed: 1, skipped: 0, status: typecheckStatus });
}

const buildStatus = run(["build.mjs"]);
if (buildStatus !== 0) {
  console.error(`test-all: the build failed (exit ${buildStatus}); the browser tests cannot run`);
  add({ passed: 0, failed: 1, skipped: 0, status: buildStatus });
} else {
  add(vitestRun("vitest.browser.config.ts", "browser-report.json"));
}

console.log(`WEB-SUMMARY passed=${totals.passed} failed=${totals.failed} skipped=${totals.skipped}`);
process.exit(exitCode);
