import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { getEnv } from "#app/env.server.ts";

// Channel credentials (Amazon LWA refresh token, eBay user token…) are stored only encrypted, in
// ChannelConnection.encryptedCredentials. AES-256-GCM authenticates as well as hides, so a row edited
// by hand (or copied from another shop) fails to decrypt instead of yielding someone else's token.
// The key is derived from APP_SECRET with HKDF and a purpose label, so the same secret signing portal
// links never doubles as this key. Nothing here logs a value: errors name the failure only.

const VERSION = "v1";
const PURPOSE = "replenish/channel-credentials/v1";

let cachedKey: { secret: string; key: Buffer } | undefined;

function key(): Buffer {
  const secret = getEnv().APP_SECRET;
  if (cachedKey?.secret !== secret) {
    cachedKey = { secret, key: Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), PURPOSE, 32)) };
  }
  return cachedKey.key;
}

export class CredentialsError extends Error {
  readonly kind = "auth";
  constructor(message: string) {
    super(message);
    this.name = "CredentialsError";
  }
}

/**
 * `v1.<iv>.<tag>.<ciphertext>` (base64url). `context` (e.g. `${shopId}:${channel}`) is bound as
 * additional authenticated data: a ciphertext moved to another connection does not decrypt.
 */
export function encryptCredentials(value: Record<string, unknown>, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(context));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptCredentials<T extends Record<string, unknown> = Record<string, unknown>>(stored: string, context: string): T {
  const [version, iv, tag, ciphertext] = stored.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new CredentialsError("Stored channel credentials are in an unknown format");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
    return JSON.parse(plain) as T;
  } catch {
    // The cause (bad tag, wrong key) would say nothing useful and must not carry data: drop it.
    throw new CredentialsError("Stored channel credentials could not be decrypted (wrong APP_SECRET or tampered row)");
  }
}

export function credentialsContext(shopId: string, channel: string): string {
  return `${shopId}:${channel}`;
}
