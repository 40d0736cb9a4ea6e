import bwipjs from "bwip-js/node";
import PDFDocument from "pdfkit";
import { money, unitPrice, type PoDocument, type PoDocumentLine } from "#app/domain/purchasing/po-document.ts";

/**
 * The purchase-order PDF (issue 5, item 3): the order page(s) for the supplier and a packing-slip page
 * the supplier puts in the shipment. Both carry the PO number as a Code 128 barcode, which is what the
 * receiving screen's scanner reads to open the PO on arrival, so the barcode text is exactly the PO
 * number (no prefix, no check text) and the quiet zone around it is kept.
 *
 * Only the 14 standard PDF fonts are used: nothing is embedded, files stay small, and every PDF reader
 * (and the tests' pdf.js) extracts the text as written.
 */

const PAGE = { size: "LETTER" as const, margin: 40 };
const PAGE_WIDTH = 612;
const PAGE_HEIGHT = 792;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * PAGE.margin;
const BOTTOM = PAGE_HEIGHT - PAGE.margin - 30; // room for the footer

/** A PNG of the Code 128 barcode of `text` (with the human-readable text under it). */
export async function code128Png(text: string, options: { scale?: number; heightMm?: number } = {}): Promise<Buffer> {
  if (text.length === 0) throw new RangeError("barcode text must not be empty");
  return bwipjs.toBuffer({
    bcid: "code128",
    text,
    scale: options.scale ?? 3,
    height: options.heightMm ?? 12,
    includetext: true,
    textxalign: "center",
    paddingwidth: 10, // quiet zone: scanners need ~10 modules of white either side
    paddingheight: 4,
    backgroundcolor: "FFFFFF",
  });
}

interface Column {
  header: string;
  width: number;
  align?: "left" | "right";
  value: (line: PoDocumentLine, index: number) => string;
}

function orderColumns(doc: PoDocument): Column[] {
  return [
    { header: "#", width: 20, value: (_l, i) => String(i + 1) },
    { header: "Our SKU", width: 80, value: (l) => l.skuCode },
    { header: "Supplier part #", width: 80, value: (l) => l.supplierPartNumber ?? "" },
    { header: "Description", width: 124, value: (l) => (l.variantTitle ? `${l.title} — ${l.variantTitle}` : l.title) },
    { header: "Qty", width: 40, align: "right", value: (l) => String(l.quantity) },
    { header: "Unit cost", width: 62, align: "right", value: (l) => unitPrice(doc, l.unitCost) },
    { header: "Line total", width: 66, align: "right", value: (l) => money(doc, l.lineTotal) },
    { header: "Expected", width: 60, align: "right", value: (l) => l.expectedDate ?? doc.expectedArrivalDate ?? "" },
  ];
}

function packingColumns(): Column[] {
  return [
    { header: "#", width: 20, value: (_l, i) => String(i + 1) },
    { header: "Our SKU", width: 90, value: (l) => l.skuCode },
    { header: "Supplier part #", width: 90, value: (l) => l.supplierPartNumber ?? "" },
    { header: "Item barcode", width: 90, value: (l) => l.barcode ?? "" },
    { header: "Description", width: 152, value: (l) => (l.variantTitle ? `${l.title} — ${l.variantTitle}` : l.title) },
    { header: "Ordered", width: 45, align: "right", value: (l) => String(l.quantity) },
    { header: "Packed", width: 45, align: "right", value: () => "" },
  ];
}

function drawRow(pdf: PDFKit.PDFDocument, columns: Column[], cells: string[], y: number, bold = false): number {
  pdf.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(8.5);
  let x = PAGE.margin;
  let height = 0;
  columns.forEach((column, i) => {
    const text = cells[i] ?? "";
    const options = { width: column.width - 6, align: column.align ?? "left" } as const;
    height = Math.max(height, pdf.heightOfString(text, options));
    pdf.text(text, x, y, options);
    x += column.width;
  });
  return y + height + 5;
}

function drawTable(pdf: PDFKit.PDFDocument, columns: Column[], lines: PoDocumentLine[], startY: number, onNewPage: () => number): number {
  const header = () => {
    const top = y;
    y = drawRow(pdf, columns, columns.map((c) => c.header), y, true);
    pdf.moveTo(PAGE.margin, y - 2).lineTo(PAGE.margin + CONTENT_WIDTH, y - 2).lineWidth(0.5).stroke();
    return top;
  };
  let y = startY;
  header();
  lines.forEach((line, index) => {
    const cells = columns.map((c) => c.value(line, index));
    pdf.font("Helvetica").fontSize(8.5);
    const rowHeight = Math.max(...columns.map((c, i) => pdf.heightOfString(cells[i] ?? "", { width: c.width - 6 }))) + 5;
    if (y + rowHeight > BOTTOM) {
      pdf.addPage(PAGE);
      y = onNewPage();
      header();
    }
    y = drawRow(pdf, columns, cells, y);
  });
  return y;
}

function block(pdf: PDFKit.PDFDocument, title: string, lines: string[], x: number, y: number, width: number): number {
  pdf.font("Helvetica-Bold").fontSize(9).text(title, x, y, { width });
  pdf.font("Helvetica").fontSize(9);
  let bottom = pdf.y;
  for (const line of lines.filter((l) => l.length > 0)) {
    pdf.text(line, x, bottom, { width });
    bottom = pdf.y;
  }
  return bottom;
}

function continuationHeader(pdf: PDFKit.PDFDocument, doc: PoDocument, title: string): number {
  pdf.font("Helvetica-Bold").fontSize(11).text(`${title} ${doc.number} (continued)`, PAGE.margin, PAGE.margin);
  return pdf.y + 10;
}

async function orderPages(pdf: PDFKit.PDFDocument, doc: PoDocument, barcode: Buffer): Promise<void> {
  pdf.font("Helvetica-Bold").fontSize(20).text("PURCHASE ORDER", PAGE.margin, PAGE.margin);
  pdf.font("Helvetica").fontSize(11).text(doc.number, PAGE.margin, pdf.y + 2);
  pdf.fontSize(9).text(`Issued ${doc.issuedOn}`, PAGE.margin, pdf.y + 2);
  pdf.image(barcode, PAGE.margin + CONTENT_WIDTH - 200, PAGE.margin, { fit: [200, 60], align: "right" });

  const top = PAGE.margin + 80;
  const third = CONTENT_WIDTH / 3;
  const bottoms = [
    block(pdf, "Buyer", [doc.buyer.name], PAGE.margin, top, third - 10),
    block(pdf, "Supplier", [doc.supplier.name, doc.supplier.contactName ?? "", doc.supplier.email ?? ""], PAGE.margin + third, top, third - 10),
    block(pdf, "Ship to", [doc.shipTo.name, ...doc.shipTo.addressLines], PAGE.margin + 2 * third, top, third - 10),
  ];
  let y = Math.max(...bottoms) + 12;

  const dates = [
    `Expected ship date: ${doc.expectedShipDate ?? "to be confirmed"}`,
    `Expected arrival: ${doc.expectedArrivalDate ?? "to be confirmed"}`,
    ...(doc.shipMethod ? [`Ship method: ${doc.shipMethod}`] : []),
    `Currency: ${doc.currency}`,
  ];
  pdf.font("Helvetica").fontSize(9).text(dates.join("    "), PAGE.margin, y, { width: CONTENT_WIDTH });
  y = pdf.y + 14;

  y = drawTable(pdf, orderColumns(doc), doc.lines, y, () => continuationHeader(pdf, doc, "Purchase order"));

  const totals: [string, string][] = [
    ["Subtotal", money(doc, doc.subtotal)],
    ...(doc.shipping !== 0 ? [["Shipping", money(doc, doc.shipping)] as [string, string]] : []),
    ["Total", money(doc, doc.total)],
  ];
  if (y + totals.length * 14 + 40 > BOTTOM) {
    pdf.addPage(PAGE);
    y = continuationHeader(pdf, doc, "Purchase order");
  }
  y += 6;
  for (const [label, value] of totals) {
    pdf.font(label === "Total" ? "Helvetica-Bold" : "Helvetica").fontSize(10);
    pdf.text(label, PAGE.margin + CONTENT_WIDTH - 220, y, { width: 100, align: "right" });
    pdf.text(value, PAGE.margin + CONTENT_WIDTH - 110, y, { width: 110, align: "right" });
    y += 14;
  }
  if (doc.notes) {
    pdf.font("Helvetica").fontSize(9).text(`Notes: ${doc.notes}`, PAGE.margin, y + 10, { width: CONTENT_WIDTH });
  }
  pdf.font("Helvetica").fontSize(8).text(
    `Please quote ${doc.number} on your invoice and put the enclosed packing slip (last page) in the shipment.`,
    PAGE.margin,
    Math.max(pdf.y + 16, y + 24),
    { width: CONTENT_WIDTH },
  );
}

async function packingSlip(pdf: PDFKit.PDFDocument, doc: PoDocument, barcode: Buffer): Promise<void> {
  pdf.addPage(PAGE);
  pdf.font("Helvetica-Bold").fontSize(20).text("PACKING SLIP", PAGE.margin, PAGE.margin);
  pdf.font("Helvetica").fontSize(10).text(`For purchase order ${doc.number} — put this page in the shipment`, PAGE.margin, pdf.y + 2);
  // Bigger than on the order page: the warehouse scans it off a box, often with a handheld at arm's length.
  pdf.image(barcode, PAGE.margin, pdf.y + 10, { fit: [300, 90] });
  const top = pdf.y + 110;
  const half = CONTENT_WIDTH / 2;
  const bottoms = [
    block(pdf, "From (supplier)", [doc.supplier.name], PAGE.margin, top, half - 10),
    block(pdf, "Deliver to", [doc.buyer.name, doc.shipTo.name, ...doc.shipTo.addressLines], PAGE.margin + half, top, half - 10),
  ];
  const y = Math.max(...bottoms) + 16;
  drawTable(pdf, packingColumns(), doc.lines, y, () => continuationHeader(pdf, doc, "Packing slip"));
}

/** The PO document as PDF bytes: order page(s), then the packing slip. */
export async function renderPurchaseOrderPdf(doc: PoDocument, options: { createdAt?: Date } = {}): Promise<Buffer> {
  const [orderBarcode, slipBarcode] = await Promise.all([code128Png(doc.number), code128Png(doc.number, { scale: 4, heightMm: 18 })]);
  const pdf = new PDFDocument({
    ...PAGE,
    bufferPages: true,
    info: {
      Title: `Purchase order ${doc.number}`,
      Author: doc.buyer.name,
      Subject: `Purchase order ${doc.number} for ${doc.supplier.name}`,
      // A fixed date keeps the bytes of a re-render identical (the dispatch job's render step is retried).
      CreationDate: options.createdAt ?? new Date(`${doc.issuedOn}T00:00:00Z`),
    },
  });
  const chunks: Buffer[] = [];
  pdf.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
  });

  await orderPages(pdf, doc, orderBarcode);
  await packingSlip(pdf, doc, slipBarcode);

  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    // The footer sits in the bottom margin; without this pdfkit would start a new page for it.
    pdf.page.margins.bottom = 0;
    pdf.font("Helvetica").fontSize(7.5).text(`${doc.number} · page ${i + 1} of ${range.count}`, PAGE.margin, PAGE_HEIGHT - PAGE.margin - 10, {
      width: CONTENT_WIDTH,
      align: "center",
      lineBreak: false,
    });
  }
  pdf.end();
  return done;
}
