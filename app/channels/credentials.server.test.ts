import { beforeEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "#app/env.server.ts";
import { CredentialsError, credentialsContext, decryptCredentials, encryptCredentials } from "./credentials.server.ts";

const env = { DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/x", SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://a.test" };

function useSecret(secret: string) {
  Object.assign(process.env, env, { APP_SECRET: secret });
  resetEnvForTests();
}

describe("channel credentials at rest", () => {
  beforeEach(() => useSecret("unit-test-app-secret-0123456789abcdef012345"));

  it("round-trips, hides the plaintext and never produces the same ciphertext twice", () => {
    const context = credentialsContext("shop-1", "AMAZON");
    const secret = { clientId: "amzn1.app", refreshToken: "Atzr|refresh-me" };
    const a = encryptCredentials(secret, context);
    const b = encryptCredentials(secret, context);
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toContain("refresh-me");
    expect(a).not.toBe(b);
    expect(decryptCredentials(a, context)).toEqual(secret);
  });

  it("refuses a ciphertext moved to another shop/channel, tampered, or read with another APP_SECRET, without saying more", () => {
    const stored = encryptCredentials({ token: "t" }, credentialsContext("shop-1", "EBAY"));
    expect(() => decryptCredentials(stored, credentialsContext("shop-2", "EBAY"))).toThrow(CredentialsError);
    const parts = stored.split(".");
    // Replace the ciphertext's first character, whose six bits all count. Overwriting its last two with
    // "AA" left the bytes unchanged about once in 256 runs (the last character of this 13-byte ciphertext
    // carries two bits), and then the test failed.
    const ciphertext = parts[3]!;
    const tampered = [parts[0], parts[1], parts[2], `${ciphertext[0] === "A" ? "B" : "A"}${ciphertext.slice(1)}`].join(".");
    expect(() => decryptCredentials(tampered, credentialsContext("shop-1", "EBAY"))).toThrow(/could not be decrypted/);
    useSecret("another-app-secret-0123456789abcdef0123456789");
    expect(() => decryptCredentials(stored, credentialsContext("shop-1", "EBAY"))).toThrow(CredentialsError);
    expect(() => decryptCredentials("plain-json", "x")).toThrow(/unknown format/);
  });
});
