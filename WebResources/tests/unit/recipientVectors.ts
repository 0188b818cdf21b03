import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface ExpectedError {
  readonly entry: string | null;
  readonly code: string;
}

export type RecipientVector =
  | { readonly name: string; readonly input: string | null; readonly expected: string }
  | { readonly name: string; readonly input: string | null; readonly errors: readonly ExpectedError[] };

export interface RecipientVectorFile {
  readonly rules: readonly string[];
  readonly cases: readonly RecipientVector[];
}

/** The shared vectors that the C# tests run too: Tests/vectors/recipients.json at the repository root. */
export const vectorFilePath = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "Tests", "vectors", "recipients.json");

export function loadRecipientVectors(): RecipientVectorFile {
  return JSON.parse(readFileSync(vectorFilePath, "utf8")) as RecipientVectorFile;
}

export const isValidCase = (vector: RecipientVector): vector is Extract<RecipientVector, { expected: string }> => "expected" in vector;
