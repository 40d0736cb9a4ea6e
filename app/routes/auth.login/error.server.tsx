import { LoginErrorType, type LoginError } from "@shopify/shopify-app-remix/server";

export type LoginErrorMessage = { shop?: string };

/** Turns the SDK's login error codes into the sentence shown under the shop-domain field. */
export function loginErrorMessage(loginErrors: LoginError): LoginErrorMessage {
  if (loginErrors?.shop === LoginErrorType.MissingShop) return { shop: "Enter your shop domain to log in" };
  if (loginErrors?.shop === LoginErrorType.InvalidShop) return { shop: "Enter a valid shop domain, like example.myshopify.com" };
  return {};
}
