import { BarcodeFormat, BinaryBitmap, DecodeHintType, GlobalHistogramBinarizer, MultiFormatReader, RGBLuminanceSource } from "@zxing/library";
import { getDocument, OPS } from "pdfjs-dist/legacy/build/pdf.mjs";

/**
 * Reads a PDF the way a supplier's viewer and the warehouse scanner would: the text of every page
 * (pdf.js, the engine of Firefox's viewer) and every raster image on it, decoded back to pixels, so a
 * test can scan a barcode out of the real bytes instead of trusting how it was generated.
 */

export interface PdfImage {
  width: number;
  height: number;
  /** One byte of luminance per pixel. */
  luminance: Uint8ClampedArray;
}

export interface ReadPdf {
  pageCount: number;
  pages: { text: string; images: PdfImage[] }[];
  info: Record<string, unknown>;
}

function toLuminance(image: { width: number; height: number; data: Uint8Array | Uint8ClampedArray; kind: number }): Uint8ClampedArray {
  const { width, height, data, kind } = image;
  const out = new Uint8ClampedArray(width * height);
  if (kind === 1) {
    // 1 bit per pixel, rows padded to whole bytes.
    const rowBytes = Math.ceil(width / 8);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bit = (data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1;
        out[y * width + x] = bit ? 255 : 0;
      }
    }
    return out;
  }
  const channels = kind === 2 ? 3 : 4;
  for (let i = 0; i < width * height; i++) {
    const r = data[i * channels]!;
    const g = data[i * channels + 1]!;
    const b = data[i * channels + 2]!;
    out[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
  return out;
}

export async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  const task = getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, verbosity: 0 });
  const pdf = await task.promise;
  try {
    const pages: ReadPdf["pages"] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const text = content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : " ") : "")).join("");
      const ops = await page.getOperatorList();
      const images: PdfImage[] = [];
      for (let i = 0; i < ops.fnArray.length; i++) {
        if (ops.fnArray[i] !== OPS.paintImageXObject) continue;
        const name = (ops.argsArray[i] as [string])[0];
        const objs = name.startsWith("g_") ? page.commonObjs : page.objs;
        const image = (await new Promise((resolve) => objs.get(name, resolve))) as { width: number; height: number; data: Uint8Array; kind: number };
        images.push({ width: image.width, height: image.height, luminance: toLuminance(image) });
      }
      pages.push({ text, images });
    }
    const meta = await pdf.getMetadata();
    return { pageCount: pdf.numPages, pages, info: meta.info as Record<string, unknown> };
  } finally {
    await task.destroy();
  }
}

/** Scans an image for a Code 128 barcode as a handheld scanner would; throws when none is readable. */
export function decodeCode128(image: PdfImage): string {
  const reader = new MultiFormatReader();
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128]],
    [DecodeHintType.TRY_HARDER, true],
  ]);
  reader.setHints(hints);
  const source = new RGBLuminanceSource(image.luminance, image.width, image.height);
  return reader.decode(new BinaryBitmap(new GlobalHistogramBinarizer(source))).getText();
}
