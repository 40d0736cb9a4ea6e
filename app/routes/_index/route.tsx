import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getEnv } from "../../env.server.ts";
import styles from "./styles.module.css";

export const meta: MetaFunction = () => [
  { title: "Replenish — inventory replenishment that runs itself" },
  { name: "description", content: "Replenish forecasts demand, reorders from your suppliers and receives deliveries for Shopify stores." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // Shopify opens the app URL with ?shop=…: hand over to the embedded admin, which authenticates.
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return { demo: getEnv().DEMO_MODE };
}

export default function Landing() {
  const { demo } = useLoaderData<typeof loader>();
  return (
    <main className={styles.index}>
      <div className={styles.content}>
        <h1 className={styles.heading}>Replenish</h1>
        <p className={styles.text}>
          Inventory replenishment for Shopify merchants who sell on Shopify, Amazon and eBay: Replenish forecasts
          demand for every SKU, decides when and how much to reorder, sends purchase orders to your suppliers and
          keeps every channel's stock right when deliveries arrive — and shows the math behind each decision.
        </p>
        {demo ? (
          <p className={styles.demo}>
            This is the local demo. <Link to="/app">Open the demo shop's admin</Link>
          </p>
        ) : (
          <Form className={styles.form} method="post" action="/auth/login">
            <label className={styles.label}>
              <span>Shop domain</span>
              <input className={styles.input} type="text" name="shop" placeholder="my-shop-domain.myshopify.com" />
            </label>
            <button className={styles.button} type="submit">
              Log in
            </button>
          </Form>
        )}
        <ul className={styles.list}>
          <li>
            <strong>Reorder points you can read.</strong> Forecasts, lead times and safety stock per SKU, with every
            number explained.
          </li>
          <li>
            <strong>Purchase orders on autopilot.</strong> Approve by exception; suppliers confirm, counter and share
            tracking through a portal link.
          </li>
          <li>
            <strong>Receiving that updates every channel.</strong> Scan a delivery, and Shopify, Amazon and eBay get the
            new quantities.
          </li>
        </ul>
      </div>
    </main>
  );
}
