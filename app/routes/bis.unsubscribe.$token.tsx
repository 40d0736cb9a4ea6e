import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { findSubscriptionByToken, unsubscribeByToken } from "../services/back-in-stock-notify.server.ts";

// The unsubscribe link in every back-in-stock message. GET shows a button (mail scanners follow links,
// and must not unsubscribe anyone); POST unsubscribes, including the one-click POST mailbox providers
// send for List-Unsubscribe-Post (RFC 8058). The token is the subscription's random unsubscribe token.

export const meta: MetaFunction = () => [{ title: "Unsubscribe" }, { name: "robots", content: "noindex, nofollow" }, { name: "referrer", content: "no-referrer" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const sub = await findSubscriptionByToken(params.token ?? "");
  if (!sub) return { valid: false as const, product: null, shop: null, done: false };
  const product = sub.sku.variantTitle ? `${sub.sku.title} (${sub.sku.variantTitle})` : sub.sku.title;
  return { valid: true as const, product, shop: sub.shop.name, done: sub.status === "UNSUBSCRIBED" };
}

export async function action({ params }: ActionFunctionArgs) {
  return unsubscribeByToken(params.token ?? "");
}

const page = { fontFamily: "-apple-system, Segoe UI, Helvetica, Arial, sans-serif", maxWidth: 520, margin: "48px auto", padding: 16, color: "#222" };
const buttonStyle = { background: "#111", color: "#fff", border: 0, borderRadius: 6, padding: "12px 20px", fontSize: 16, cursor: "pointer" };

export default function Unsubscribe() {
  const view = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <main style={page}>
      <h1>Unsubscribe</h1>
      {result ? (
        <p role="status">{result.message}</p>
      ) : !view.valid ? (
        <p>This link is not valid any more.</p>
      ) : view.done ? (
        <p role="status">You won&apos;t get alerts about {view.product} from {view.shop} any more.</p>
      ) : (
        <Form method="post">
          <p>
            Stop alerts about <strong>{view.product}</strong> from {view.shop}?
          </p>
          <button type="submit" style={buttonStyle}>
            Unsubscribe
          </button>
        </Form>
      )}
    </main>
  );
}
