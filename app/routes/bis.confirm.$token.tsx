import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { confirmByToken, findSubscriptionByToken } from "../services/back-in-stock-notify.server.ts";

// Double opt-in: the link in the confirmation message. GET shows a button and POST confirms, so a mail
// scanner following the link does not confirm on the shopper's behalf (the point of double opt-in).

export const meta: MetaFunction = () => [{ title: "Confirm your alert" }, { name: "robots", content: "noindex, nofollow" }, { name: "referrer", content: "no-referrer" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const sub = await findSubscriptionByToken(params.token ?? "");
  if (!sub) return { state: "invalid" as const, product: null, shop: null };
  const product = sub.sku.variantTitle ? `${sub.sku.title} (${sub.sku.variantTitle})` : sub.sku.title;
  const state = sub.status === "PENDING_CONFIRMATION" ? ("pending" as const) : sub.status === "ACTIVE" || sub.status === "NOTIFIED" ? ("confirmed" as const) : ("ended" as const);
  return { state, product, shop: sub.shop.name };
}

export async function action({ params }: ActionFunctionArgs) {
  return confirmByToken(params.token ?? "");
}

const page = { fontFamily: "-apple-system, Segoe UI, Helvetica, Arial, sans-serif", maxWidth: 520, margin: "48px auto", padding: 16, color: "#222" };
const buttonStyle = { background: "#111", color: "#fff", border: 0, borderRadius: 6, padding: "12px 20px", fontSize: 16, cursor: "pointer" };

export default function ConfirmAlert() {
  const view = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <main style={page}>
      <h1>Confirm your alert</h1>
      {result ? (
        <p role="status">{result.message}</p>
      ) : view.state === "invalid" ? (
        <p>This link is not valid any more.</p>
      ) : view.state === "confirmed" ? (
        <p role="status">Already confirmed: {view.shop} will tell you when {view.product} is back in stock.</p>
      ) : view.state === "ended" ? (
        <p>This alert for {view.product} has ended. Sign up again on the product page.</p>
      ) : (
        <Form method="post">
          <p>
            Get one message from {view.shop} when <strong>{view.product}</strong> is back in stock?
          </p>
          <button type="submit" style={buttonStyle}>
            Confirm my alert
          </button>
        </Form>
      )}
    </main>
  );
}
