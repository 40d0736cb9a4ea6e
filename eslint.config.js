import tseslint from "typescript-eslint";

// Lint guards architecture, not style: the domain core stays pure (no IO, env or clock), so the
// engine can be tested, simulated and benchmarked alone (ARCHITECTURE principle 1).
const forbiddenInDomain = [
  "@prisma/*", "prisma", "@remix-run/*", "@shopify/*", "bullmq", "ioredis", "pg", "express", "nodemailer",
  "amazon-sp-api", "ebay-api", "pino", "node:fs", "node:fs/*", "node:http", "node:https", "node:net", "node:child_process",
  "fs", "http", "https", "net", "child_process",
  "#app/lib/*", "#app/models/*", "#app/services/*", "#app/channels/*", "#app/routes/*", "#workers/*",
  "**/*.server", "**/*.server.ts", "**/*.server.tsx",
];

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", ".data/**", "test-results/**", "public/build/**"] },
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { parser: tseslint.parser },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "no-debugger": "error",
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(it|test|describe)$/]", message: "Focused tests hide the rest of the suite." },
      ],
    },
  },
  {
    files: ["app/domain/**/*.ts"],
    ignores: ["app/domain/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: forbiddenInDomain, message: "app/domain is the pure core: pass data in, no IO/framework imports." }] }],
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "No clock in the domain: take `asOf` as an argument." },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "No clock in the domain: take `asOf` as an argument." },
        { selector: "MemberExpression[object.name='process']", message: "No process/env in the domain: take configuration as arguments." },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: "No hidden randomness in the domain: take a seeded generator." },
      ],
    },
  },
);
