// Builds the web resources into dist/, where the path under dist/ is the web resource name the package ships.
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");

// ES2017 keeps async/await native; every browser Unified Interface supports has it.
const common = { bundle: true, format: "iife", target: "es2017", legalComments: "none", minify: false, logLevel: "warning" };

const scripts = [
  ["src/recipients/entry.ts", "emc_/scripts/recipients_form.js"],
  ["src/conversation/entry.ts", "emc_/scripts/conversation_form.js"],
  ["src/panel/entry.ts", "emc_/panel/emergency_panel.js"],
  ["src/dialWatcher/entry.ts", "emc_/scripts/dial_watcher.js"],
];
const copies = [
  ["src/panel/emergency_panel.html", "emc_/panel/emergency_panel.html"],
  ["src/panel/emergency_panel.css", "emc_/panel/emergency_panel.css"],
];

await rm(dist, { recursive: true, force: true });
for (const [entry, name] of scripts) {
  await build({ ...common, entryPoints: [join(here, entry)], outfile: join(dist, name) });
}
for (const [source, name] of copies) {
  await mkdir(dirname(join(dist, name)), { recursive: true });
  await copyFile(join(here, source), join(dist, name));
}
console.log(`built ${scripts.length + copies.length} web resources into dist/`);
