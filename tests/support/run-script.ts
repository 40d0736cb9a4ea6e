import { spawn } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "#tests/setup/infra.ts";

export type ScriptRun = { code: number; stdout: string; stderr: string };

/** Runs one of the repo's TypeScript CLIs (e.g. "scripts/plan.ts") in its own Node process, as npm would. */
export function runScript(script: string, args: string[]): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, script), ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
