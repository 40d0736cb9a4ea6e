import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { MemoryRouter } from "react-router-dom";
import { AppProvider } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import { describe, expect, it } from "vitest";
import { AdminModeProvider } from "./admin-mode.tsx";
import { adminRouteError } from "./admin-error-boundary.tsx";

const NOT_FOUND = { title: "SKU not found", message: "There is no SKU at this address.", back: { content: "Products", url: "/app/products" } };

function render(node: ReturnType<typeof adminRouteError>) {
  return renderToString(
    createElement(MemoryRouter, null, createElement(AppProvider, { i18n: polarisTranslations }, createElement(AdminModeProvider, { value: { embedded: false } }, node))),
  );
}

describe("adminRouteError", () => {
  it("shows a 404 as the admin's own page with the way back, whatever the thrown response's class is called", () => {
    // In the browser's minified bundle the ErrorResponse class has another name: only its fields are reliable.
    const minified = Object.assign(Object.create({ constructor: function e() {} }), { status: 404, statusText: "Not Found", internal: false, data: "Not found" });
    const html = render(adminRouteError(minified, NOT_FOUND));
    expect(html).toContain("SKU not found");
    expect(html).toContain("There is no SKU at this address.");
    expect(html).toMatch(/href="\/app\/products"[^>]*>.*Back to Products/s);
  });

  it("leaves other errors to Shopify's boundary", () => {
    const failure = new Error("boom");
    expect(() => adminRouteError(failure, NOT_FOUND)).toThrow("boom");
  });
});
