/** Refuses an --out that is one of the input files: the plan would replace the merchant's export. */
import { stat } from "node:fs/promises";

/**
 * The input `out` names, or null. Compared by device and inode (a file that does not exist yet is no input),
 * so `./sales.csv` against `sales.csv`, a symlink and a hard link to an input are all caught.
 */
export async function inputAtOutPath(out: string, inputs: Readonly<Record<string, string>>): Promise<string | null> {
  const target = await stat(out, { bigint: true }).catch(() => null);
  if (!target) return null;
  for (const [name, path] of Object.entries(inputs)) {
    const input = await stat(path, { bigint: true }).catch(() => null);
    if (input && input.dev === target.dev && input.ino === target.ino) return name;
  }
  return null;
}
