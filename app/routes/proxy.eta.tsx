import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleEtaRequest } from "#app/services/back-in-stock.server.ts";

// Storefront https://<shop>/apps/back-in-stock/eta?variant=<id>: "Expected to ship by <date>" for a sold-out variant.
export const loader = ({ request }: LoaderFunctionArgs) => handleEtaRequest(request);
