import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { beforeAll, describe, expect, it } from "vitest";

// The package registers the dial watcher and the conversation form script on Microsoft's Active Conversation form by a
// form diff (SolutionPackage/src/Entities/msdyn_ocliveworkitem/FormXml/main/). These tests read that file and run the
// bundles that ship: every library it names is built, and every OnLoad handler it names is a function there.
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const formDiff = join(
  root,
  "..",
  "SolutionPackage",
  "src",
  "Entities",
  "msdyn_ocliveworkitem",
  "FormXml",
  "main",
  "{5fe86453-73ea-4821-b6dd-ddc06e1755a1}.xml",
);

interface Registration {
  readonly libraries: string[];
  readonly handlers: Array<{ functionName: string; libraryName: string; passExecutionContext: string }>;
}

function attribute(tag: string, name: string): string {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1] ?? "";
}

function readRegistration(): Registration {
  const xml = readFileSync(formDiff, "utf8").replace(/<!--[\s\S]*?-->/g, "");
  return {
    libraries: [...xml.matchAll(/<Library\b[^>]*>/g)].map((m) => attribute(m[0], "name")),
    handlers: [...xml.matchAll(/<Handler\b[^>]*>/g)].map((m) => ({
      functionName: attribute(m[0], "functionName"),
      libraryName: attribute(m[0], "libraryName"),
      passExecutionContext: attribute(m[0], "passExecutionContext"),
    })),
  };
}

/** Runs one shipped bundle in a fresh global, as a form library runs in the page, and returns that global. */
function loadBundle(name: string): Record<string, unknown> {
  const code = readFileSync(join(root, "dist", ...name.split("/")), "utf8");
  const quiet = { error: () => undefined, info: () => undefined, log: () => undefined, warn: () => undefined };
  const sandbox: Record<string, unknown> = { console: quiet, navigator: { languages: [] } };
  runInNewContext(code, sandbox);
  return sandbox;
}

function resolve(global: Record<string, unknown>, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((value, part) => (value as Record<string, unknown> | undefined)?.[part], global);
}

describe("the shipped registration on the Active Conversation form", () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, "build.mjs")], { cwd: root, stdio: "ignore" });
  });

  it("FormDiff_NamesTheDialWatcherAndTheConversationScript_OnLoadWithTheExecutionContext", () => {
    const registration = readRegistration();
    expect(registration.libraries).toEqual(["emc_/scripts/dial_watcher.js", "emc_/scripts/conversation_form.js"]);
    expect(registration.handlers).toEqual([
      { functionName: "EmergencySolution.DialWatcher.onLoad", libraryName: "emc_/scripts/dial_watcher.js", passExecutionContext: "true" },
      {
        functionName: "EmergencySolution.ConversationForm.onLoad",
        libraryName: "emc_/scripts/conversation_form.js",
        passExecutionContext: "true",
      },
    ]);
  });

  it("EveryHandler_IsAFunctionOfItsShippedLibrary", () => {
    for (const handler of readRegistration().handlers) {
      const global = loadBundle(handler.libraryName);
      expect(typeof resolve(global, handler.functionName), `${handler.functionName} in ${handler.libraryName}`).toBe("function");
    }
  });

  it("DialWatcherOnLoad_OnAPageWithoutTheSdkOrXrm_NeverThrowsIntoTheForm", () => {
    const global = loadBundle("emc_/scripts/dial_watcher.js");
    const onLoad = resolve(global, "EmergencySolution.DialWatcher.onLoad") as (context?: unknown) => void;
    expect(() => onLoad({ getFormContext: () => ({}) })).not.toThrow();
    expect((resolve(global, "EmergencySolution.DialWatcher.isListening") as () => boolean)()).toBe(false);
  });
});
