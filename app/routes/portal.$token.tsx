import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, isRouteErrorResponse, useActionData, useLoaderData, useNavigation, useParams, useRouteError } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { ALLOWED_ATTACHMENT_EXTENSIONS, MAX_ATTACHMENT_BYTES, MAX_SUPPLIER_NAME_LENGTH, SHIP_METHODS, offerFieldKey, type OfferInput } from "../domain/purchasing/negotiation.ts";
import { lineTotalCents, toPriceUnits } from "../domain/shared/money.ts";
import { isAppError } from "../lib/app-error.ts";
import { INVALID_PORTAL_LINK_MESSAGE } from "../lib/signed-link.server.ts";
import { OfferValidationError } from "../services/po-negotiation.server.ts";
import {
  acceptPurchaseOrder,
  addPortalAttachment,
  addPortalComment,
  getPortalView,
  PORTAL_HEADERS,
  PortalFormError,
  portalScopeFromRequest,
  submitCounterOffer,
  submitRemittanceChange,
  updateShippingDetails,
  type PortalView,
} from "../services/supplier-portal.server.ts";

// The supplier portal (issue 5, item 4): a public page, no Shopify login, opened with the signed link
// from the PO email. Plain HTML forms (they work without JavaScript) so any supplier's browser can use it;
// the token in the URL is the only key, checked on every request (loader and each action) before
// anything is read.

export const meta: MetaFunction = () => [
  { title: "Purchase order" },
  { name: "robots", content: "noindex, nofollow" },
  { name: "referrer", content: "no-referrer" },
];

export const headers: HeadersFunction = () => PORTAL_HEADERS;

const INTENTS = ["accept", "counter", "shipping", "comment", "attach", "remittance"] as const;
type Intent = (typeof INTENTS)[number];

const SAVED_MESSAGES: Record<Intent, string> = {
  accept: "Thank you: the order is confirmed.",
  counter: "Your counter-offer was sent to the merchant. You will get an email when they answer.",
  shipping: "Shipping details saved.",
  comment: "Comment sent.",
  attach: "File attached.",
  remittance: "Bank details received. They take effect once the merchant has confirmed them with you.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await portalScopeFromRequest(request, params.token);
  const view = await getPortalView(scope);
  const saved = new URL(request.url).searchParams.get("saved");
  return data({ view, saved: (INTENTS as readonly string[]).includes(saved ?? "") ? (saved as Intent) : null }, { headers: PORTAL_HEADERS });
}

type ActionAnswer = { intent: Intent | null; message: string; fieldErrors: Record<string, string>; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await portalScopeFromRequest(request, params.token);
  // Refuse an oversized upload before reading it into memory.
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_ATTACHMENT_BYTES + 64 * 1024) {
    return answer(413, {
      intent: "attach",
      message: `The file is too large: at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`,
      fieldErrors: { file: "The file is too large" },
      values: {},
    });
  }
  const form = await request.formData();
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string") values[key] = value;
  const intent = (INTENTS as readonly string[]).includes(values.intent ?? "") ? (values.intent as Intent) : null;
  const name = values.name ?? null;
  try {
    switch (intent) {
      case "accept":
        await acceptPurchaseOrder(scope, { name });
        break;
      case "counter":
        await submitCounterOffer(scope, { ...offerInput(values), name });
        break;
      case "shipping": {
        const partNumbers: Record<string, string> = {};
        for (const [key, value] of Object.entries(values)) if (key.startsWith("part.")) partNumbers[key.slice(5)] = value;
        await updateShippingDetails(scope, {
          expectedShipDate: values.expectedShipDate ?? "",
          shipMethod: values.shipMethod ?? "",
          trackingNumbers: values.trackingNumbers ?? "",
          supplierReference: values.supplierReference ?? "",
          partNumbers,
          name,
        });
        break;
      }
      case "comment":
        await addPortalComment(scope, { text: values.comment ?? "", lineId: values.lineId || null, name });
        break;
      case "attach": {
        const file = form.get("file");
        if (!file || typeof file === "string") throw new PortalFormError({ file: "Choose a file to attach" });
        await addPortalAttachment(scope, { fileName: file.name, bytes: Buffer.from(await file.arrayBuffer()), name });
        break;
      }
      case "remittance":
        await submitRemittanceChange(scope, {
          accountHolder: values.accountHolder,
          bankName: values.bankName,
          iban: values.iban,
          accountNumber: values.accountNumber,
          routingNumber: values.routingNumber,
          swift: values.swift,
          name,
        });
        break;
      default:
        return answer(400, { intent: null, message: "Reload the page and try again.", fieldErrors: {}, values });
    }
  } catch (error) {
    if (error instanceof OfferValidationError || error instanceof PortalFormError) {
      return answer(422, { intent, message: error.fieldErrors.form ?? "Some fields need a fix. Nothing was saved.", fieldErrors: error.fieldErrors, values });
    }
    if (isAppError(error) && error.kind === "conflict") return answer(409, { intent, message: error.message, fieldErrors: {}, values });
    if (isAppError(error) && (error.kind === "forbidden" || error.kind === "not_found"))
      throw new Response(INVALID_PORTAL_LINK_MESSAGE, { status: 403, headers: PORTAL_HEADERS });
    throw error;
  }
  // Post/redirect/get: a reload does not send the form again.
  return redirect(`/portal/${encodeURIComponent(params.token ?? "")}?saved=${intent}`, { headers: PORTAL_HEADERS });
}

function answer(status: number, body: ActionAnswer) {
  return data(body, { status, headers: PORTAL_HEADERS });
}

function offerInput(values: Record<string, string>): OfferInput {
  const lines: OfferInput["lines"] = {};
  for (const [key, value] of Object.entries(values)) {
    const match = /^line\.(.+)\.(quantity|unitCost|expectedDate)$/.exec(key);
    if (!match) continue;
    const [, lineId = "", field = "quantity"] = match;
    lines[lineId] = { ...lines[lineId], [field]: value };
  }
  return { lines, notes: values.notes ?? "" };
}

// ─── Page ───

const STYLES = `
.portal{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;max-width:64rem;margin:0 auto;padding:1.5rem 1rem 4rem;line-height:1.45}
.portal h1{font-size:1.6rem;margin:.2rem 0}.portal h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
.portal table{border-collapse:collapse;width:100%;margin:.5rem 0}.portal th,.portal td{border-bottom:1px solid #e3e3e3;padding:.4rem .5rem;text-align:left;vertical-align:top}
.portal td.num,.portal th.num{text-align:right}.portal label{display:block;font-weight:600;margin:.6rem 0 .2rem}
.portal input,.portal select,.portal textarea{font:inherit;padding:.35rem .5rem;border:1px solid #8a8a8a;border-radius:4px;max-width:100%}
.portal input[aria-invalid=true],.portal textarea[aria-invalid=true]{border-color:#b00020}
.portal .error{color:#b00020;margin:.2rem 0}.portal .note{color:#555;font-size:.92rem}
.portal button{font:inherit;padding:.45rem 1rem;border-radius:4px;border:1px solid #1a1a1a;background:#1a1a1a;color:#fff;cursor:pointer;margin-top:.7rem}
.portal button.secondary{background:#fff;color:#1a1a1a}.portal .banner{padding:.7rem 1rem;border-radius:6px;margin:1rem 0}
.portal .ok{background:#e3f5e9;border:1px solid #5fb07a}.portal .bad{background:#fde8e8;border:1px solid #d05a5a}
.portal .status{display:inline-block;padding:.1rem .6rem;border-radius:1rem;background:#eef;border:1px solid #99c;font-size:.9rem}
.portal ol.thread{list-style:none;padding:0}.portal ol.thread li{border-left:3px solid #ccc;padding:.3rem .8rem;margin:.6rem 0}
.portal ol.thread li.SUPPLIER{border-color:#3a7bd5}.portal ol.thread li.MERCHANT{border-color:#2e9e5b}
.portal .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:0 1.2rem}
`;

function statusLabel(status: string): string {
  return status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, " ");
}

function money(amount: string, currency: string): string {
  return `${currency} ${Number(amount).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;
}

export default function SupplierPortalPage() {
  const { view, saved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionAnswer | undefined;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const answerFor = (intent: Intent) => (actionData && actionData.intent === intent ? actionData : undefined);
  const banner = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (actionData || saved) banner.current?.focus();
  }, [actionData, saved]);

  return (
    <main className="portal">
      {/* Inner HTML: React would escape the quotes in SSR text and the hydrated text would differ. */}
      <style dangerouslySetInnerHTML={{ __html: STYLES }} />
      <p className="note">
        {view.shopName} · purchase order for {view.supplierName}
      </p>
      <h1>Purchase order {view.number}</h1>
      <p>
        Status: <span className="status">{statusLabel(view.status)}</span>
        {view.turn === "SUPPLIER" ? " — the merchant answered your counter-offer; please accept it or counter again." : null}
        {view.turn === "MERCHANT" ? " — your counter-offer is with the merchant." : null}
      </p>
      <div ref={banner} tabIndex={-1} aria-live="polite">
        {saved && !actionData ? (
          <p className="banner ok" role="status">
            {SAVED_MESSAGES[saved]}
          </p>
        ) : null}
        {actionData && actionData.intent === null ? (
          <p className="banner bad" role="alert">
            {actionData.message}
          </p>
        ) : null}
      </div>

      <OrderLines view={view} />
      <Respond view={view} answer={answerFor("accept") ?? answerFor("counter")} busy={busy} />
      <Shipping view={view} answer={answerFor("shipping")} busy={busy} />
      <Thread view={view} />
      <Comment view={view} answer={answerFor("comment")} busy={busy} />
      <Attachments view={view} answer={answerFor("attach")} busy={busy} />
      <Remittance view={view} answer={answerFor("remittance")} busy={busy} />
    </main>
  );
}

type SectionProps = { view: PortalView; answer?: ActionAnswer | undefined; busy?: boolean };

function FormError({ answer }: { answer?: ActionAnswer | undefined }) {
  if (!answer) return null;
  return (
    <p className="banner bad" role="alert">
      {answer.message}
    </p>
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p className="error" id={id}>
      {message}
    </p>
  ) : null;
}

function OrderLines({ view }: SectionProps) {
  const address =
    view.shipTo.address && typeof view.shipTo.address === "object" && !Array.isArray(view.shipTo.address)
      ? Object.values(view.shipTo.address)
          .filter((v) => typeof v === "string")
          .join(", ")
      : "";
  return (
    <section aria-labelledby="order-heading">
      <h2 id="order-heading">Order</h2>
      <p>
        Ship to: <strong>{view.shipTo.name}</strong>
        {address ? `, ${address}` : ""}
      </p>
      <table>
        <caption className="note" style={{ textAlign: "left" }}>
          Lines of {view.number}
        </caption>
        <thead>
          <tr>
            <th scope="col">Our SKU</th>
            <th scope="col">Item</th>
            <th scope="col">Your part number</th>
            <th scope="col" className="num">
              Quantity
            </th>
            <th scope="col" className="num">
              Unit price
            </th>
            <th scope="col" className="num">
              Line total
            </th>
            <th scope="col">Expected</th>
          </tr>
        </thead>
        <tbody>
          {view.lines.map((line) => (
            <tr key={line.id}>
              <td>{line.skuCode}</td>
              <td>{line.title}</td>
              <td>{line.supplierPartNumber ?? "—"}</td>
              <td className="num">{line.quantityOrdered}</td>
              <td className="num">{money(line.unitCost, view.currency)}</td>
              {/* Whole cents, as the PO's total and its PDF round it (a 1.593 unit price × 6 is 9.56, not 9.558). */}
              <td className="num">{money((lineTotalCents(line.quantityOrdered, toPriceUnits(line.unitCost)) / 100).toFixed(2), view.currency)}</td>
              <td>{line.expectedDate ?? "—"}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={5} className="num">
              Total
            </th>
            <td className="num">
              <strong>{money(view.total, view.currency)}</strong>
            </td>
            <td />
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

function Respond({ view, answer, busy }: SectionProps) {
  if (!view.canAccept && !view.canCounter) return null;
  const values = answer?.values ?? {};
  const errors = answer?.fieldErrors ?? {};
  return (
    <section aria-labelledby="respond-heading">
      <h2 id="respond-heading">Your answer</h2>
      <FormError answer={answer} />
      {!view.canAccept && view.turn === "MERCHANT" ? (
        // Nothing to answer while the merchant considers the counter-offer: say so rather than an empty section.
        <p>Your counter-offer is with the merchant. You will get an email when they answer; meanwhile you can still write to them below.</p>
      ) : null}
      {view.canAccept ? (
        <Form method="post">
          <input type="hidden" name="intent" value="accept" />
          <p>{view.turn === "SUPPLIER" ? "Accept the merchant's latest offer (shown in the conversation below)." : "Accept the order as it is."}</p>
          <button type="submit" disabled={busy}>
            {view.turn === "SUPPLIER" ? "Accept the merchant's offer" : "Accept order as is"}
          </button>
        </Form>
      ) : null}
      {view.canCounter && view.turn !== "MERCHANT" ? (
        <Form method="post" aria-labelledby="counter-heading">
          <input type="hidden" name="intent" value="counter" />
          <h3 id="counter-heading">Counter-offer</h3>
          <p className="note">
            Change only what you cannot supply as ordered; a field left empty keeps the order's value. Quantity 0 means you cannot supply that line.
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Quantity</th>
                <th scope="col">Unit price</th>
                <th scope="col">Date</th>
              </tr>
            </thead>
            <tbody>
              {view.lines.map((line) => {
                const q = offerFieldKey(line.id, "quantity");
                const c = offerFieldKey(line.id, "unitCost");
                const d = offerFieldKey(line.id, "expectedDate");
                return (
                  <tr key={line.id}>
                    <th scope="row">
                      {line.skuCode} <span className="note">{line.title}</span>
                    </th>
                    <td>
                      <input
                        id={q}
                        name={q}
                        inputMode="numeric"
                        size={7}
                        aria-label={`Quantity for ${line.skuCode} (ordered ${line.quantityOrdered})`}
                        placeholder={String(line.quantityOrdered)}
                        defaultValue={values[q] ?? ""}
                        aria-invalid={errors[q] ? true : undefined}
                        aria-describedby={errors[q] ? `${q}-error` : undefined}
                      />
                      <FieldError id={`${q}-error`} message={errors[q]} />
                    </td>
                    <td>
                      <input
                        id={c}
                        name={c}
                        inputMode="decimal"
                        size={9}
                        aria-label={`Unit price for ${line.skuCode} (ordered at ${line.unitCost})`}
                        placeholder={line.unitCost}
                        defaultValue={values[c] ?? ""}
                        aria-invalid={errors[c] ? true : undefined}
                        aria-describedby={errors[c] ? `${c}-error` : undefined}
                      />
                      <FieldError id={`${c}-error`} message={errors[c]} />
                    </td>
                    <td>
                      <input
                        id={d}
                        name={d}
                        type="date"
                        aria-label={`Date for ${line.skuCode}`}
                        defaultValue={values[d] ?? ""}
                        aria-invalid={errors[d] ? true : undefined}
                        aria-describedby={errors[d] ? `${d}-error` : undefined}
                      />
                      <FieldError id={`${d}-error`} message={errors[d]} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <label htmlFor="counter-notes">Notes for the merchant</label>
          <textarea id="counter-notes" name="notes" rows={3} cols={60} defaultValue={values.notes ?? ""} aria-invalid={errors.notes ? true : undefined} />
          <FieldError id="counter-notes-error" message={errors.notes} />
          <div>
            <button type="submit" className="secondary" disabled={busy}>
              Send counter-offer
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}

function Shipping({ view, answer, busy }: SectionProps) {
  if (!view.canUpdateShipping) return null;
  const values = answer?.values ?? {};
  const errors = answer?.fieldErrors ?? {};
  const field = (name: string) => ({
    id: `shipping-${name}`,
    name,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `shipping-${name}-error` : undefined,
  });
  return (
    <section aria-labelledby="shipping-heading">
      <h2 id="shipping-heading">Shipping</h2>
      <p>
        Expected ship date: <strong>{view.expectedShipDate ?? "not set"}</strong> · Method: <strong>{view.shipMethod ?? "not set"}</strong> · Expected arrival:{" "}
        <strong>{view.expectedArrivalDate ?? "not set"}</strong>
        {view.trackingNumbers.length > 0 ? ` · Tracking: ${view.trackingNumbers.join(", ")}` : ""}
      </p>
      <FormError answer={answer} />
      <Form method="post">
        <input type="hidden" name="intent" value="shipping" />
        <div className="grid">
          <div>
            <label htmlFor="shipping-expectedShipDate">Expected ship date</label>
            <input type="date" {...field("expectedShipDate")} defaultValue={values.expectedShipDate ?? view.expectedShipDate ?? ""} />
            <FieldError id="shipping-expectedShipDate-error" message={errors.expectedShipDate} />
          </div>
          <div>
            <label htmlFor="shipping-shipMethod">Ship method</label>
            <select {...field("shipMethod")} defaultValue={values.shipMethod ?? view.shipMethod ?? ""}>
              <option value="">Choose…</option>
              {SHIP_METHODS.map((m) => (
                <option key={m} value={m}>
                  {m} ({view.transitDays[m]} days in transit)
                </option>
              ))}
            </select>
            <FieldError id="shipping-shipMethod-error" message={errors.shipMethod} />
          </div>
          <div>
            <label htmlFor="shipping-trackingNumbers">Tracking numbers</label>
            <input {...field("trackingNumbers")} size={30} defaultValue={values.trackingNumbers ?? view.trackingNumbers.join(", ")} />
            <FieldError id="shipping-trackingNumbers-error" message={errors.trackingNumbers} />
          </div>
          <div>
            <label htmlFor="shipping-supplierReference">Your order reference</label>
            <input {...field("supplierReference")} defaultValue={values.supplierReference ?? view.supplierReference ?? ""} />
            <FieldError id="shipping-supplierReference-error" message={errors.supplierReference} />
          </div>
        </div>
        <p className="note">
          The expected arrival is the ship date plus the method's transit days. Adding tracking numbers to a confirmed order marks it as shipped.
        </p>
        <fieldset>
          <legend>Your part numbers</legend>
          <div className="grid">
            {view.lines.map((line) => (
              <div key={line.id}>
                <label htmlFor={`part-${line.id}`}>
                  {line.skuCode} <span className="note">{line.title}</span>
                </label>
                <input
                  id={`part-${line.id}`}
                  name={`part.${line.id}`}
                  defaultValue={values[`part.${line.id}`] ?? line.supplierPartNumber ?? ""}
                  aria-invalid={errors[`part.${line.id}`] ? true : undefined}
                />
                <FieldError id={`part-${line.id}-error`} message={errors[`part.${line.id}`]} />
              </div>
            ))}
          </div>
        </fieldset>
        <button type="submit" disabled={busy}>
          Save shipping details
        </button>
      </Form>
    </section>
  );
}

function Thread({ view }: SectionProps) {
  const lineCode = new Map(view.lines.map((l) => [l.id, l.skuCode]));
  return (
    <section aria-labelledby="thread-heading">
      <h2 id="thread-heading">Conversation and history</h2>
      {view.thread.length === 0 ? <p className="note">Nothing yet.</p> : null}
      <ol className="thread">
        {view.thread.map((entry) => (
          <li key={entry.id} className={entry.actorType}>
            <p className="note">
              <time dateTime={entry.createdAt}>{entry.createdAt.slice(0, 16).replace("T", " ")} UTC</time> ·{" "}
              {entry.actorType === "SUPPLIER" ? entry.actorName ?? "You" : entry.actorType === "MERCHANT" ? entry.actorName ?? view.shopName : "System"}
              {entry.lineId && lineCode.has(entry.lineId) ? ` · on ${lineCode.get(entry.lineId)}` : ""}
            </p>
            <p>{entry.message}</p>
            {entry.offer ? (
              <table>
                <caption className="note" style={{ textAlign: "left" }}>
                  Offer round {entry.offer.round}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col" className="num">
                      Quantity
                    </th>
                    <th scope="col" className="num">
                      Unit price
                    </th>
                    <th scope="col">Date</th>
                  </tr>
                </thead>
                <tbody>
                  {entry.offer.lines.map((l) => (
                    <tr key={l.lineId}>
                      <td>{lineCode.get(l.lineId) ?? "—"}</td>
                      <td className="num">{l.quantity}</td>
                      <td className="num">{money(l.unitCost, view.currency)}</td>
                      <td>{l.expectedDate ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Comment({ view, answer, busy }: SectionProps) {
  const values = answer?.values ?? {};
  const errors = answer?.fieldErrors ?? {};
  return (
    <section aria-labelledby="comment-heading">
      <h2 id="comment-heading">Send a comment</h2>
      <FormError answer={answer} />
      <Form method="post">
        <input type="hidden" name="intent" value="comment" />
        <label htmlFor="comment-line">About</label>
        <select id="comment-line" name="lineId" defaultValue={values.lineId ?? ""}>
          <option value="">The whole order</option>
          {view.lines.map((l) => (
            <option key={l.id} value={l.id}>
              {l.skuCode} — {l.title}
            </option>
          ))}
        </select>
        <FieldError id="comment-line-error" message={errors.lineId} />
        <label htmlFor="comment-text">Comment</label>
        <textarea
          id="comment-text"
          name="comment"
          rows={3}
          cols={60}
          defaultValue={values.comment ?? ""}
          aria-invalid={errors.comment ? true : undefined}
          aria-describedby={errors.comment ? "comment-text-error" : undefined}
        />
        <FieldError id="comment-text-error" message={errors.comment} />
        <label htmlFor="comment-name">Your name (optional)</label>
        <input
          id="comment-name"
          name="name"
          autoComplete="name"
          maxLength={MAX_SUPPLIER_NAME_LENGTH}
          defaultValue={values.name ?? ""}
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={errors.name ? "comment-name-error" : undefined}
        />
        <FieldError id="comment-name-error" message={errors.name} />
        <div>
          <button type="submit" disabled={busy}>
            Send comment
          </button>
        </div>
      </Form>
    </section>
  );
}

function Attachments({ view, answer, busy }: SectionProps) {
  const errors = answer?.fieldErrors ?? {};
  const { token = "" } = useParams();
  return (
    <section aria-labelledby="files-heading">
      <h2 id="files-heading">Files</h2>
      {view.attachments.length === 0 ? <p className="note">No files yet.</p> : null}
      <ul>
        {view.attachments.map((a) => (
          <li key={a.id}>
            <a href={`/portal/${encodeURIComponent(token)}/files/${a.id}`} download>
              {a.fileName}
            </a>{" "}
            <span className="note">
              ({Math.max(1, Math.round(a.sizeBytes / 1024))} KB, from {a.uploadedBy === "SUPPLIER" ? "you" : "the merchant"})
            </span>
          </li>
        ))}
      </ul>
      <FormError answer={answer} />
      <Form method="post" encType="multipart/form-data">
        <input type="hidden" name="intent" value="attach" />
        <label htmlFor="attach-file">Attach a file</label>
        <input
          id="attach-file"
          type="file"
          name="file"
          accept={ALLOWED_ATTACHMENT_EXTENSIONS.map((e) => `.${e}`).join(",")}
          aria-describedby="attach-help"
          aria-invalid={errors.file ? true : undefined}
        />
        <p className="note" id="attach-help">
          PDF, PNG, JPEG, XLSX, CSV or TXT, up to {MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.
        </p>
        <FieldError id="attach-file-error" message={errors.file} />
        <button type="submit" className="secondary" disabled={busy}>
          Upload
        </button>
      </Form>
    </section>
  );
}

function Remittance({ view, answer, busy }: SectionProps) {
  const values = answer?.values ?? {};
  const errors = answer?.fieldErrors ?? {};
  const field = (name: string, label: string, extra: Record<string, string> = {}) => (
    <div>
      <label htmlFor={`remit-${name}`}>{label}</label>
      <input
        id={`remit-${name}`}
        name={name}
        defaultValue={values[name] ?? ""}
        autoComplete="off"
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `remit-${name}-error` : undefined}
        {...extra}
      />
      <FieldError id={`remit-${name}-error`} message={errors[name]} />
    </div>
  );
  const { current, pending } = view.remittance;
  return (
    <section aria-labelledby="remit-heading">
      <h2 id="remit-heading">Bank details for payments</h2>
      <p>
        {current ? `Payments go to ${current.accountHolder}, ${current.bankName}, account ${current.account}.` : "No bank details on file yet."}
        {pending
          ? ` A change to ${pending.bankName}, account ${pending.account}, is waiting for the merchant's confirmation; until then payments go to the details above.`
          : ""}
      </p>
      <p className="note">For your protection, changed bank details take effect only after the merchant has confirmed them with you.</p>
      <FormError answer={answer} />
      <Form method="post">
        <input type="hidden" name="intent" value="remittance" />
        <div className="grid">
          {field("accountHolder", "Account holder")}
          {field("bankName", "Bank name")}
          {field("iban", "IBAN")}
          {field("accountNumber", "Account number (if no IBAN)", { inputMode: "numeric" })}
          {field("routingNumber", "Routing number", { inputMode: "numeric" })}
          {field("swift", "SWIFT / BIC")}
        </div>
        <button type="submit" className="secondary" disabled={busy}>
          Submit new bank details
        </button>
      </Form>
    </section>
  );
}

/** The same plain page for every refused link (tampered, expired, revoked, another supplier's or shop's): nothing to learn from it. */
export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message =
    status === 403
      ? INVALID_PORTAL_LINK_MESSAGE_TEXT
      : status === 429
      ? "Too many attempts. Please wait a minute and try again."
      : "Something went wrong. Please try again in a moment.";
  return (
    <main
      className="portal"
      style={{ fontFamily: "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, sans-serif", padding: "3rem 1.5rem", maxWidth: "40rem", margin: "0 auto" }}
    >
      <h1>{status === 403 ? "Link not valid" : status === 429 ? "Please wait" : "Something went wrong"}</h1>
      <p>{message}</p>
    </main>
  );
}

// The server module's constant cannot be imported into the browser bundle's error boundary.
const INVALID_PORTAL_LINK_MESSAGE_TEXT = "This link is not valid. Ask the merchant for a new one.";
