import type { LoaderFunctionArgs } from "@remix-run/node";
import { isAppError } from "../lib/app-error.ts";
import { getPortalAttachment, PORTAL_HEADERS, portalScopeFromRequest } from "../services/supplier-portal.server.ts";

// A file of the link's PO, as a download. The same token check as the portal page; another PO's
// attachment id is "not found" even for the same supplier.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await portalScopeFromRequest(request, params.token);
  try {
    const file = await getPortalAttachment(scope, params.attachmentId ?? "");
    // Always a download (never rendered inline in our origin), with a name that cannot break the header.
    const asciiName = file.fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
    return new Response(new Uint8Array(file.content), {
      headers: {
        ...PORTAL_HEADERS,
        "Content-Type": file.contentType,
        "Content-Length": String(file.content.length),
        "Content-Disposition": `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        "Content-Security-Policy": "default-src 'none'; sandbox",
      },
    });
  } catch (error) {
    if (isAppError(error) && error.kind === "not_found") return new Response("Not found", { status: 404, headers: PORTAL_HEADERS });
    throw error;
  }
}
