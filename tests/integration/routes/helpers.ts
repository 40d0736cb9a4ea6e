// Route tests call a loader/action the way Remix does: a real Request, in demo mode, where
// requireShopContext resolves the demo shop without Shopify OAuth.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { resetEnvForTests } from "#app/env.server.ts";
import { createShop } from "#tests/factories/index.ts";

export const DEMO_DOMAIN = "route-test-demo.myshopify.com";

/** Switches the app to demo mode for this test file (env is re-read on the next getEnv()). */
export function useDemoMode(): void {
  process.env.DEMO_MODE = "true";
  process.env.DEMO_SHOP_DOMAIN = DEMO_DOMAIN;
  process.env.HOST = "127.0.0.1";
  resetEnvForTests();
}

/** The shop the admin opens as in demo mode. */
export function createDemoShop(overrides: Parameters<typeof createShop>[0] = {}) {
  return createShop({ domain: DEMO_DOMAIN, name: "Route test demo", isDemo: true, ...overrides });
}

const ORIGIN = "http://127.0.0.1:3000";

export function callLoader<T>(loader: (args: LoaderFunctionArgs) => Promise<T>, path: string): Promise<T> {
  return loader({ request: new Request(`${ORIGIN}${path}`), params: {}, context: {} });
}

export function callAction<T>(action: (args: ActionFunctionArgs) => Promise<T>, path: string, form: Record<string, string>): Promise<T> {
  const request = new Request(`${ORIGIN}${path}`, { method: "POST", body: new URLSearchParams(form) });
  return action({ request, params: {}, context: {} });
}

/** Loaders/actions may return `data(body, { status })`: unwraps it into status + body. */
export function unwrap<T>(result: T): { status: number; body: T extends { data: infer D; init: unknown } ? D : T } {
  if (typeof result === "object" && result !== null && "type" in result && (result as { type: unknown }).type === "DataWithResponseInit") {
    const wrapped = result as unknown as { data: never; init: { status?: number } | null };
    return { status: wrapped.init?.status ?? 200, body: wrapped.data };
  }
  return { status: 200, body: result as never };
}
