import { constants, createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { parse, type Options } from "csv-parse";

/**
 * The records of a gzip CSV file, streamed. A missing or unreadable file is refused up front with its
 * path; a read, gunzip or parse error part-way rejects the iteration. (`.pipe()` forwards no errors: a
 * missing file used to crash the CLI with an unhandled 'error' event, and left an awaiting caller — the
 * demo seed in a test — waiting forever.)
 */
export async function readGzipCsv<T>(path: string, options: Options): Promise<AsyncIterable<T>> {
  try {
    await access(path, constants.R_OK);
  } catch {
    throw new Error(`${path}: no such file, or not readable`);
  }
  const parser = parse(options);
  // pipeline destroys every stage, the parser included, with the first error; the iteration then rejects.
  pipeline(createReadStream(path), createGunzip(), parser, () => {});
  return parser as AsyncIterable<T>;
}
