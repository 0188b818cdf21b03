// npm run bench:redactor — prints how long the log redactor takes on 64k-character inputs, next to the regular
// expression it replaced. Figures only (no assertion): the unit tests prove linearity by counting character visits.
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundled = await build({ entryPoints: [join(root, "src/shared/logging.ts")], bundle: true, format: "esm", write: false });
const { redactPhoneNumbers } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString("base64")}`);

const formerPattern = /(?<![0-9A-Za-z-])\+?\d(?:[\d ().-]*\d)?(?![0-9A-Za-z-])/g;
const former = (text) => text.replace(formerPattern, (c) => (c.replace(/\D/g, "").length >= 3 ? "[number]" : c));

const inputs = {
  "adversarial '(1-(1-… ' (65,536 chars)": "(1-".repeat(21_845) + "x",
  "adversarial '1 1 1 … 1x' (65,538 chars)": "1 ".repeat(32_768) + "1x",
  "log lines with numbers (~64k chars)": Array.from({ length: 1_800 }, (_, i) => `call ${i} to +1 (206) 555-0100;`).join(" "),
};
for (const [name, text] of Object.entries(inputs)) {
  for (const [label, redact] of [
    ["linear scanner", redactPhoneNumbers],
    ["former regex", former],
  ]) {
    const started = process.hrtime.bigint();
    redact(text);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`${name}: ${label} ${ms.toFixed(1)} ms`);
  }
}
