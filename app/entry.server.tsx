import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { getEnv } from "./env.server.ts";
import { addDocumentResponseHeaders } from "./shopify.server.ts";

export const streamTimeout = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  // Shopify's document headers (frame-ancestors CSP for the admin, Link preloads for App Bridge) only make
  // sense inside the Shopify admin. The demo is opened directly on loopback, without a shop parameter.
  if (!getEnv().DEMO_MODE) addDocumentResponseHeaders(request, responseHeaders);

  // Crawlers get the whole document at once; people get the shell as soon as it is ready.
  const callbackName = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    // Give React time to flush rejected boundaries before the stream is cut.
    setTimeout(abort, streamTimeout + 1000);
  });
}
